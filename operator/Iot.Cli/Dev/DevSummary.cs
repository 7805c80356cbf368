namespace Iot.Cli.Dev;

/// <summary>What the platform did, as the dev console shows it.</summary>
/// <param name="DevicesOnline">Devices connected to the local brokers now.</param>
/// <param name="MessagesPerSecond">PUBLISH packets the brokers received per second since the previous summary.</param>
/// <param name="RuleFirings">EdgeRule firings since start (dry runs included).</param>
/// <param name="AlertsDelivered">Notifications delivered to receivers since start.</param>
/// <param name="TelemetryMessages">Telemetry messages ingest took in since start.</param>
public sealed record DevSummary(long DevicesOnline, double MessagesPerSecond, long RuleFirings, long AlertsDelivered, long TelemetryMessages)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"devices online {DevicesOnline}   messages/s {MessagesPerSecond:0.0}   telemetry {TelemetryMessages}   rule firings {RuleFirings}   alerts delivered {AlertsDelivered}");
}
