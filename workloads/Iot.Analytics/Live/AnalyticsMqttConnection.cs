using System.Buffers;

using Iot.Analytics.Alerts;
using Iot.Analytics.Rejections;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Analytics.Live;

/// <summary>
/// The workload's one MQTT 5 connection to the broker: subscribes to every <see cref="IMqttMessageHandler"/>'s filter at
/// QoS 1 and hands each message to the handlers whose filter matches its topic. Reconnects with a doubling delay (up to
/// 30 s) when the connection fails or drops, subscribing again each time (clean start: nothing is queued while away).
/// The rejection and alert sources in use subscribe too when they are fed by MQTT (implement <see cref="IMqttMessageHandler"/>).
/// </summary>
public sealed partial class AnalyticsMqttConnection(
    IEnumerable<IMqttMessageHandler> handlers, IRejectionSource rejections, IActiveAlertSource alerts,
    IOptions<AnalyticsOptions> options, TimeProvider time, ILogger<AnalyticsMqttConnection> logger) : BackgroundService
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyList<(string Match, IMqttMessageHandler Handler)> routes =
        [.. handlers.Concat(new object[] { rejections, alerts }.OfType<IMqttMessageHandler>()).Distinct().Select(h => (Unshared(h.Filter), h))];
    private volatile bool connected;

    /// <summary>True while connected and subscribed.</summary>
    public bool IsConnected => connected;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Mqtt;
        if (!settings.Enabled)
        {
            return;
        }

        var delay = settings.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += _ =>
            {
                connected = false;
                dropped.TrySetResult();
                return Task.CompletedTask;
            };
            client.ApplicationMessageReceivedAsync += e =>
            {
                Dispatch(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
                return Task.CompletedTask;
            };
            try
            {
                await client.ConnectAsync(ClientOptions(settings), stoppingToken);
                var subscribe = new MqttClientSubscribeOptionsBuilder();
                foreach (var filter in routes.Select(r => r.Handler.Filter).Distinct(StringComparer.Ordinal))
                {
                    subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
                }

                var result = await client.SubscribeAsync(subscribe.Build(), stoppingToken);
                if (result.Items.FirstOrDefault(i => (int)i.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2) is { } refused)
                {
                    throw new InvalidOperationException($"The broker refused the subscription to '{refused.TopicFilter.Topic}': {refused.ResultCode}.");
                }

                connected = true;
                delay = settings.ReconnectDelay;
                LogConnected(logger, settings.Host, settings.Port);
                await dropped.Task.WaitAsync(stoppingToken);
                LogDropped(logger, settings.Host, settings.Port);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                connected = false;
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
                }

                return;
            }
            catch (Exception e)
            {
                // Whatever failed (refused, unreachable, timed out, subscription refused), the answer is to try again later.
                connected = false;
                LogFailed(logger, e, settings.Host, settings.Port, delay);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = delay * 2 > MaxReconnectDelay ? MaxReconnectDelay : delay * 2;
        }
    }

    private void Dispatch(string topic, ReadOnlySequence<byte> payload)
    {
        var body = payload.IsSingleSegment ? payload.First : payload.ToArray();
        foreach (var (match, handler) in routes)
        {
            if (MqttTopicFilterComparer.Compare(topic, match) == MqttTopicFilterCompareResult.IsMatch)
            {
                try
                {
                    handler.Handle(topic, body);
                }
                catch (Exception e)
                {
                    // A handler's bug must not take the connection down with it.
                    LogHandlerFailed(logger, e, topic);
                }
            }
        }
    }

    private MqttClientOptions ClientOptions(AnalyticsMqttOptions settings)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"analytics-{options.Value.Namespace}-{Guid.NewGuid().ToString("N")[..8]}")
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (settings.Username is { Length: > 0 } username)
        {
            builder.WithCredentials(username, settings.Password);
        }

        return builder.Build();
    }

    // A shared subscription's messages carry the plain topic: match them against the filter without $share/<group>/.
    private static string Unshared(string filter)
    {
        if (!filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            return filter;
        }

        var slash = filter.IndexOf('/', "$share/".Length);
        return slash < 0 ? filter : filter[(slash + 1)..];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the broker at {Host}:{Port} and subscribed")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection to the broker at {Host}:{Port} dropped; reconnecting")]
    private static partial void LogDropped(ILogger logger, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to the broker at {Host}:{Port} failed; retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string host, int port, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Topic} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string topic);
}
