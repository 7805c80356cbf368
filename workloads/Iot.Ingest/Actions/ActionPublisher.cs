using System.Diagnostics;
using System.Text;

using Iot.Ingest.Mqtt;

using Microsoft.Extensions.Logging;

using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Iot.Ingest.Actions;

/// <summary>
/// Publishes the rule engine's actions in the order they were raised, at QoS 1 (so a firing alert never overtakes its
/// resolution). A lost connection is waited out and the action sent again; an action the broker refuses (a topic the
/// internal user may not publish on) is logged and skipped. Alerts go out inside an <see cref="IngestTracing"/>
/// producer activity whose trace context they carry as the user property <c>traceparent</c>.
/// </summary>
internal sealed partial class ActionPublisher(MqttActionSink sink, IngestMqttConnection mqtt, IngestMetrics metrics, TimeProvider time, ILogger<ActionPublisher> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var action in sink.Reader.ReadAllAsync(cancellationToken))
        {
            await PublishAsync(action, cancellationToken);
        }
    }

    private async Task PublishAsync(RuleAction action, CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            using var activity = action.Kind == "alert" ? IngestTracing.Source.StartActivity("alert publish", ActivityKind.Producer) : null;
            activity?.SetTag("messaging.system", "mqtt");
            activity?.SetTag("messaging.destination.name", action.Topic);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(action.Topic)
                .WithPayload(action.Payload)
                .WithContentType("application/json")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (Activity.Current?.Id is { } traceParent)
            {
                message.WithUserProperty(IngestTracing.TraceParentProperty, Encoding.UTF8.GetBytes(traceParent));
            }

            try
            {
                var result = await mqtt.PublishAsync(message.Build(), cancellationToken);
                if (!result.IsSuccess)
                {
                    LogRefused(action.Kind, action.Rule, action.Device, action.Topic, result.ReasonCode.ToString(), result.ReasonString);
                }
                else if (action.Kind == "alert")
                {
                    metrics.AlertPublishSeconds.Record(Stopwatch.GetElapsedTime(action.RaisedAt).TotalSeconds);
                }

                return;
            }
            catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(action.Kind, action.Topic, e.Message, retry);
                await Task.Delay(retry, time, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker refused the {Kind} of rule {Rule} for {Device} on {Topic}: {ReasonCode} {ReasonString}")]
    private partial void LogRefused(string kind, string rule, string device, string topic, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing a {Kind} on {Topic} failed ({Error}); retrying in {Retry}")]
    private partial void LogRetrying(string kind, string topic, string error, TimeSpan retry);
}
