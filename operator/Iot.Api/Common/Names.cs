namespace Iot.Api.Common;

/// <summary>Name formats shared by the kinds.</summary>
public static class Names
{
    /// <summary>An RFC 1123 label: what a Device, Room or EdgeRule name must be (it becomes an MQTT topic segment).</summary>
    public const string DnsLabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>An RFC 1123 subdomain: what most Kubernetes object names must be.</summary>
    public const string DnsSubdomainPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A telemetry field or metric name: usable in rule expressions and as an InfluxDB field key.</summary>
    public const string IdentifierPattern = "^[A-Za-z_][A-Za-z0-9_]*$";
}
