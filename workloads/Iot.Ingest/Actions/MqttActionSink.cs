using System.Diagnostics;
using System.Threading.Channels;

using Iot.Api.Alerts;
using Iot.Rules.Actions;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Actions;

/// <summary>
/// The rule engine's <see cref="IRuleActionSink"/>: turns each action into an MQTT message (alert events on
/// <c>_iot/alerts/&lt;rule&gt;/&lt;device&gt;</c>, commands in the §5 envelope on <c>devices/&lt;id&gt;/command</c>,
/// publications on their topic) and queues it for <see cref="ActionPublisher"/>. Never blocks the engine: when the
/// queue is full the action is dropped, logged and counted.
/// </summary>
internal sealed partial class MqttActionSink(IngestMetrics metrics, IOptions<IngestOptions> options, TimeProvider time, ILogger<MqttActionSink> logger) : IRuleActionSink
{
    private readonly Channel<RuleAction> queue = Channel.CreateBounded<RuleAction>(new BoundedChannelOptions(options.Value.ActionQueueCapacity) { SingleReader = true, SingleWriter = true });

    public ChannelReader<RuleAction> Reader => queue.Reader;

    public void Alert(AlertEvent alert) =>
        Enqueue(new RuleAction("alert", AlertEvent.TopicOf(alert.Rule, alert.Device), alert.ToJson(), alert.Rule, alert.Device, Stopwatch.GetTimestamp()));

    public void Command(RuleCommand command) =>
        Enqueue(new RuleAction("command", command.Topic, command.ToMessage(Guid.NewGuid().ToString("N"), time.GetUtcNow()), command.Rule, command.SourceDevice, Stopwatch.GetTimestamp()));

    public void Publish(RulePublication publication) =>
        Enqueue(new RuleAction("publish", publication.Topic, publication.Payload, publication.Rule, publication.Device, Stopwatch.GetTimestamp()));

    private void Enqueue(RuleAction action)
    {
        if (!queue.Writer.TryWrite(action))
        {
            metrics.ActionsDropped.Add(1, new KeyValuePair<string, object?>("kind", action.Kind));
            LogDropped(action.Kind, action.Rule, action.Device, action.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped the {Kind} of rule {Rule} for {Device} on {Topic}: the action queue is full (is the broker reachable?)")]
    private partial void LogDropped(string kind, string rule, string device, string topic);
}
