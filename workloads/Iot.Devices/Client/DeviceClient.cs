using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Devices.Client;

/// <summary>
/// A device's connection to the platform's broker: publishes telemetry (<c>{"device_id","timestamp","data"}</c>) and
/// retained state, receives commands as typed callbacks, reconnects with exponential backoff, and keeps what it publishes
/// while disconnected in a bounded buffer that is replayed, in order, on reconnect (when full, the oldest message is
/// dropped and counted in <see cref="DroppedCount"/>). Messages are sent at QoS 1; the session is persistent, so commands
/// sent while the device was away arrive when it is back.
/// </summary>
public sealed partial class DeviceClient : IAsyncDisposable
{
    // Relaxed escaping: payloads are JSON for machines, not HTML; units such as °C stay readable.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly DeviceClientOptions options;
    private readonly ILogger logger;
    private readonly IMqttClient mqtt;
    private readonly MqttClientOptions connectOptions;
    private readonly OfflineBuffer<MqttApplicationMessage> buffer;
    private readonly SemaphoreSlim pending = new(0, 1);
    private readonly ConcurrentDictionary<string, Func<DeviceCommand, CancellationToken, Task>> commandHandlers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private volatile TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? supervisor;
    private Task? sender;
    private long published;
    private long rejected;

    /// <summary>A client for <paramref name="options"/>; call <see cref="ConnectAsync"/> to connect.</summary>
    public DeviceClient(DeviceClientOptions options, ILogger<DeviceClient>? logger = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        buffer = new OfflineBuffer<MqttApplicationMessage>(options.OfflineBufferCapacity);
        mqtt = new MqttClientFactory().CreateMqttClient();
        mqtt.ApplicationMessageReceivedAsync += OnMessageAsync;
        mqtt.DisconnectedAsync += _ =>
        {
            if (connected.Task.IsCompleted)
            {
                connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        connectOptions = BuildConnectOptions(options);
    }

    /// <summary>The device id.</summary>
    public string DeviceId => options.DeviceId;

    /// <summary>Where telemetry goes: <c>devices/&lt;id&gt;/telemetry</c>.</summary>
    public string TelemetryTopic => $"devices/{options.DeviceId}/telemetry";

    /// <summary>Where state goes (retained): <c>devices/&lt;id&gt;/state</c>.</summary>
    public string StateTopic => $"devices/{options.DeviceId}/state";

    /// <summary>Where commands arrive: <c>devices/&lt;id&gt;/command</c>.</summary>
    public string CommandTopic => $"devices/{options.DeviceId}/command";

    /// <summary>True while connected.</summary>
    public bool IsConnected => mqtt.IsConnected;

    /// <summary>Messages waiting to be sent (while disconnected, or not yet acknowledged).</summary>
    public int BufferedCount => buffer.Count;

    /// <summary>Messages dropped because the offline buffer was full (oldest first).</summary>
    public long DroppedCount => buffer.Dropped;

    /// <summary>Messages the broker acknowledged.</summary>
    public long PublishedCount => Interlocked.Read(ref published);

    /// <summary>Messages the broker refused (e.g. not authorized, too large); they are not retried.</summary>
    public long RejectedCount => Interlocked.Read(ref rejected);

    /// <summary>Handles commands named <paramref name="name"/>, with the raw command.</summary>
    public void OnCommand(string name, Func<DeviceCommand, CancellationToken, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        commandHandlers[name] = handler;
    }

    /// <summary>Handles commands named <paramref name="name"/>, with the payload deserialized as <typeparamref name="TPayload"/> (camelCase JSON).</summary>
    public void OnCommand<TPayload>(string name, Func<TPayload?, DeviceCommand, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnCommand(name, (command, cancellationToken) =>
            handler(command.Payload.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : command.Payload.Deserialize<TPayload>(Json), command, cancellationToken));
    }

    /// <summary>
    /// Connects (the first attempt's failure is thrown: wrong credentials or an unreachable broker), subscribes to the
    /// command topic, and from then on keeps the connection up in the background.
    /// </summary>
    /// <exception cref="DeviceConnectionException">The broker refused the connection or could not be reached.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (supervisor is not null)
        {
            throw new InvalidOperationException("The client is already connected or connecting.");
        }

        await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        supervisor = Task.Run(() => SuperviseAsync(stopping.Token), CancellationToken.None);
        sender = Task.Run(() => SendAsync(stopping.Token), CancellationToken.None);
    }

    /// <summary>Queues a telemetry message <c>{"device_id","timestamp","data"}</c>; <paramref name="data"/> is any object serializable to a JSON object.</summary>
    public void PublishTelemetry(object data, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var message = new TelemetryMessage(options.DeviceId, (timestamp ?? options.Time.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), data);
        Enqueue(new MqttApplicationMessageBuilder()
            .WithTopic(TelemetryTopic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(message, Json))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
    }

    /// <summary>Queues the device's reported state (retained: a new subscriber gets the latest at once).</summary>
    public void PublishState(object state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Enqueue(new MqttApplicationMessageBuilder()
            .WithTopic(StateTopic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(state, Json))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build());
    }

    /// <summary>Waits until every queued message is sent (or dropped).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (buffer.Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops reconnecting and disconnects cleanly; messages still buffered are not sent.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { supervisor, sender })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(false);
            }
        }

        if (mqtt.IsConnected)
        {
            try
            {
                await mqtt.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build()).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone.
            }
        }

        mqtt.Dispose();
        pending.Dispose();
        stopping.Dispose();
    }

    private void Enqueue(MqttApplicationMessage message)
    {
        if (buffer.Add(message))
        {
            LogDropped(logger, options.DeviceId, buffer.Dropped);
        }

        try
        {
            pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // The sender is already signalled.
        }
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        MqttClientConnectResult result;
        try
        {
            disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            result = await mqtt.ConnectAsync(connectOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not DeviceConnectionException)
        {
            throw new DeviceConnectionException($"Device {options.DeviceId} could not reach the broker at {options.Host}:{options.Port}: {e.Message}", null, e);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new DeviceConnectionException($"The broker at {options.Host}:{options.Port} refused device {options.DeviceId}: {result.ResultCode} {result.ReasonString}", result.ResultCode, null);
        }

        var subscribed = await mqtt.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(CommandTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        if (subscribed.Items.Any(i => (int)i.ResultCode >= 0x80))
        {
            LogCommandSubscriptionRefused(logger, options.DeviceId);
        }

        connected.TrySetResult();
        LogConnected(logger, options.DeviceId, options.Host, options.Port);
    }

    // Reconnects after every disconnect, with exponential backoff and jitter, until disposed.
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await disconnected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                LogDisconnected(logger, options.DeviceId);
                for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
                {
                    await Task.Delay(Backoff(attempt), options.Time, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (DeviceConnectionException e)
                    {
                        LogReconnectFailed(logger, options.DeviceId, attempt + 1, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
        var capped = Math.Min(exponential, options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    // Sends the buffer in order, one message at a time; a message leaves the buffer only when the broker answered it.
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (buffer.Peek() is not { } message)
                {
                    await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!mqtt.IsConnected)
                {
                    await connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    var result = await mqtt.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                    if ((int)result.ReasonCode >= 0x80)
                    {
                        Interlocked.Increment(ref rejected);
                        LogRejected(logger, options.DeviceId, message.Topic, result.ReasonCode.ToString(), result.ReasonString);
                    }
                    else
                    {
                        Interlocked.Increment(ref published);
                    }

                    buffer.RemoveIfFirst(message);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Disconnected mid-publish: the message stays first in the buffer and goes again after the reconnect.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), options.Time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic != CommandTopic)
        {
            return;
        }

        DeviceCommand command;
        try
        {
            using var document = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var root = document.RootElement;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new JsonException("no \"name\"");
            var payload = root.TryGetProperty("payload", out var p) ? p.Clone() : default;
            var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            DateTimeOffset? timestamp = root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var parsed) ? parsed : null;
            command = new DeviceCommand(name, payload, id, timestamp);
        }
        catch (JsonException ex)
        {
            LogBadCommand(logger, options.DeviceId, ex.Message);
            return;
        }

        if (!commandHandlers.TryGetValue(command.Name, out var handler))
        {
            LogUnhandledCommand(logger, options.DeviceId, command.Name);
            return;
        }

        try
        {
            await handler(command, stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCommandFailed(logger, options.DeviceId, command.Name, ex);
        }
    }

    private static MqttClientOptions BuildConnectOptions(DeviceClientOptions options)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.DeviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(24 * 3600)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (options.Password is not null)
        {
            builder = builder.WithCredentials(options.DeviceId, options.Password);
        }

        if (options.UseTls || options.CaCertificatePem is not null || options.ClientCertificatePem is not null)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (options.CaCertificatePem is { } ca)
                {
                    tls.WithTrustChain([X509Certificate2.CreateFromPem(ca)]);
                }

                if (options.ClientCertificatePem is { } crt)
                {
                    using var pem = X509Certificate2.CreateFromPem(crt, options.ClientKeyPem ?? throw new InvalidOperationException("A client certificate needs its key (tls.key)."));
                    tls.WithClientCertificates([X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)]);
                }
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string deviceId, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} disconnected; reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: reconnect attempt {Attempt} failed: {Reason}")]
    private static partial void LogReconnectFailed(ILogger logger, string deviceId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: offline buffer full, oldest message dropped ({Dropped} dropped so far)")]
    private static partial void LogDropped(ILogger logger, string deviceId, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: the broker refused a message to {Topic}: {Reason} {ReasonString}")]
    private static partial void LogRejected(ILogger logger, string deviceId, string topic, string reason, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: the broker refused the command subscription")]
    private static partial void LogCommandSubscriptionRefused(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: malformed command ignored: {Reason}")]
    private static partial void LogBadCommand(ILogger logger, string deviceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId}: no handler for command {Command}")]
    private static partial void LogUnhandledCommand(ILogger logger, string deviceId, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Device {DeviceId}: handler of command {Command} failed")]
    private static partial void LogCommandFailed(ILogger logger, string deviceId, string command, Exception exception);

    private sealed record TelemetryMessage(
        [property: System.Text.Json.Serialization.JsonPropertyName("device_id")] string DeviceId,
        [property: System.Text.Json.Serialization.JsonPropertyName("timestamp")] string Timestamp,
        [property: System.Text.Json.Serialization.JsonPropertyName("data")] object Data);
}
