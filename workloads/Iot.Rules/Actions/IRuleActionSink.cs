using Iot.Api.Alerts;

namespace Iot.Rules.Actions;

/// <summary>
/// Where the engine's actions go; ingest maps them to MQTT (alerts on <see cref="AlertEvent.TopicOf"/> at QoS 1,
/// commands on <see cref="RuleCommand.Topic"/>, publications on their topic). The engine calls these on its own
/// thread, inside <see cref="RuleEngine.Process(in Telemetry.TelemetryMessage)"/>, <see cref="RuleEngine.Tick"/> or while
/// it applies rule and device changes: implementations must not block (hand the item to a channel) and must not call
/// back into the engine. Rules in <c>dryRun</c> mode never reach the sink.
/// </summary>
public interface IRuleActionSink
{
    /// <summary>An alert of an alert action fired or resolved.</summary>
    void Alert(AlertEvent alert);

    /// <summary>A command action fired for a device that declares the command.</summary>
    void Command(RuleCommand command);

    /// <summary>A publish action: the rule fired or resolved.</summary>
    void Publish(RulePublication publication);
}
