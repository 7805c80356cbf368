using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Notify;

/// <summary>Settings of the notify workload, bound from configuration section <c>Notify</c>.</summary>
public sealed class NotifyOptions
{
    public const string Section = "Notify";

    /// <summary>The namespace whose AlertRoutes are used and whose alerts are accepted.</summary>
    [Required]
    public string Namespace { get; set; } = "";

    /// <summary>The bearer token every API request must carry (from Secret <c>iot-api-token</c>, key <c>token</c>).</summary>
    [Required]
    public string ApiToken { get; set; } = "";

    public NotifyMqttOptions Mqtt { get; set; } = new();

    public NotifyStoreOptions Store { get; set; } = new();

    public NotifyRetryOptions Retry { get; set; } = new();

    /// <summary>How many deliveries run at once.</summary>
    [Range(1, 256)]
    public int DeliveryConcurrency { get; set; } = 8;

    /// <summary>A kubeconfig for the AlertRoute and Secret watches outside a cluster; in a cluster the service account is used.</summary>
    public string? Kubeconfig { get; set; }
}

/// <summary>The broker connection: input from <c>_iot/alerts/#</c> and output of MQTT receivers.</summary>
public sealed class NotifyMqttOptions
{
    /// <summary>The broker host; empty disables MQTT (no alert input, MQTT receivers fail).</summary>
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    public string Username { get; set; } = WorkloadSecrets.InternalUsername;

    /// <summary>The internal password (from Secret <c>iot-internal-credentials</c>).</summary>
    public string Password { get; set; } = "";

    /// <summary>A fixed client id: with a persistent session, alerts published while notify is down are delivered when it is back.</summary>
    public string ClientId { get; set; } = "iot-notify";

    /// <summary>How long the broker keeps the session while notify is disconnected.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>Which event store: <c>postgres</c> with a connection string, or <c>sqlite</c> with a file path.</summary>
public sealed class NotifyStoreOptions
{
    [RegularExpression("^(postgres|sqlite)$", ErrorMessage = "Store:Provider must be postgres or sqlite")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The Npgsql connection string (postgres).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The database file (sqlite).</summary>
    public string Path { get; set; } = "notify.db";
}

/// <summary>Retries of failed deliveries: exponential backoff with jitter, then <c>failed</c>.</summary>
public sealed class NotifyRetryOptions
{
    /// <summary>Attempts in all, the first included; after the last failure the notification is failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles after each further one.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each wait is shortened by a random fraction of itself up to this (0 to 1), so retries of many notifications spread out.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The wait before attempt <paramref name="attempt"/>+1 after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan BackoffAfter(int attempt, Random random)
    {
        var exponential = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (Jitter * random.NextDouble())));
    }
}
