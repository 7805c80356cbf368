namespace Iot.Api.Common;

/// <summary>
/// Secrets the operator creates for the workloads of a namespace. Workloads receive their values through environment
/// variables set from these Secrets, never by reading Secrets they do not need.
/// </summary>
public static class WorkloadSecrets
{
    /// <summary>Internal MQTT credentials the workloads (ingest, notify, analytics) use with the broker; keys <c>username</c>, <c>password</c>, <c>password.hash</c>.</summary>
    public const string InternalCredentials = "iot-internal-credentials";

    /// <summary>The bearer token of the analytics and notify HTTP APIs; key <c>token</c>.</summary>
    public const string ApiToken = "iot-api-token";

    /// <summary>The key of the token in <see cref="ApiToken"/>.</summary>
    public const string TokenKey = "token";

    /// <summary>The username workloads connect to the broker with.</summary>
    public const string InternalUsername = "iot-internal";
}
