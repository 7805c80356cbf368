using Iot.Ingest.Mqtt;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Iot.Ingest.Rejections;

/// <summary>
/// Publishes each device's latest rejections, retained at QoS 1, on <c>_iot/rejections/&lt;device&gt;</c> whenever they
/// change, at most once per <see cref="IngestOptions.RejectionPublishInterval"/> (a burst of bad messages is one
/// publication). A deleted device's retained message is cleared.
/// </summary>
internal sealed partial class RejectionPublisher(RejectionLog log, IngestMqttConnection mqtt, IOptions<IngestOptions> options, TimeProvider time, ILogger<RejectionPublisher> logger)
{
    private readonly TimeSpan interval = options.Value.RejectionPublishInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await log.WaitForChangesAsync(cancellationToken))
        {
            foreach (var device in log.TakeChanged())
            {
                await PublishAsync(device, cancellationToken);
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }

    private async Task PublishAsync(string device, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(RejectionLog.TopicPrefix + device)
            .WithPayload(log.ToMessage(device))
            .WithContentType("application/json")
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var retry = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var result = await mqtt.PublishAsync(message, cancellationToken);
                if (!result.IsSuccess)
                {
                    LogRefused(device, result.ReasonCode.ToString(), result.ReasonString);
                }

                return;
            }
            catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(device, e.Message, retry);
                await Task.Delay(retry, time, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker refused the rejections of {Device}: {ReasonCode} {ReasonString}")]
    private partial void LogRefused(string device, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the rejections of {Device} failed ({Error}); retrying in {Retry}")]
    private partial void LogRetrying(string device, string error, TimeSpan retry);
}
