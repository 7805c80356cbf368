using System.Buffers;
using System.Diagnostics;

using Iot.Api.Alerts;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Iot.Notify.Mqtt;

/// <summary>
/// notify's one connection to the broker (MQTT 5, fixed client id, persistent session): it subscribes to
/// <c>_iot/alerts/#</c> at QoS 1 and hands each message to the handler before acknowledging it, and MQTT receivers
/// publish through it. Reconnects with backoff until stopped.
/// </summary>
public sealed partial class MqttConnection(IOptions<NotifyOptions> options, TimeProvider time, ILogger<MqttConnection> logger) : IAsyncDisposable
{
    public const string AlertTopicFilter = AlertEvent.TopicPrefix + "#";

    private readonly NotifyMqttOptions settings = options.Value.Mqtt;
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();

    /// <summary>False when no broker is configured.</summary>
    public bool Enabled => settings.Host.Length > 0;

    /// <summary>True while connected and subscribed.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Connects, subscribes and passes each alert message (topic, payload) to <paramref name="handler"/>; reconnects until cancelled.</summary>
    public async Task RunAsync(Func<string, ReadOnlyMemory<byte>, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var lost = new SemaphoreSlim(0);
        client.ApplicationMessageReceivedAsync += async e =>
        {
            // Acknowledge only what is handled (saved). If handling fails (the store is down), drop the connection
            // instead: the broker keeps the unacknowledged message in the session and sends it again on reconnect.
            e.AutoAcknowledge = false;
            var traceparent = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == "traceparent")?.ReadValueAsString();
            ActivityContext.TryParse(traceparent, null, out var parent);
            using var activity = NotifyTracing.Source.StartActivity("notify alert event", ActivityKind.Consumer, parent);
            activity?.SetTag("messaging.destination.name", e.ApplicationMessage.Topic);
            try
            {
                await handler(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), cancellationToken).ConfigureAwait(false);
                await e.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogHandlingFailed(exception, e.ApplicationMessage.Topic);
                _ = Task.Run(() => client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(), CancellationToken.None), CancellationToken.None);
            }
        };
        client.DisconnectedAsync += _ =>
        {
            IsConnected = false;
            lost.Release();
            return Task.CompletedTask;
        };

        var backoff = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connect = new MqttClientOptionsBuilder()
                    .WithTcpServer(settings.Host, settings.Port)
                    .WithClientId(settings.ClientId)
                    .WithCredentials(settings.Username, settings.Password)
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithCleanStart(false)
                    .WithSessionExpiryInterval((uint)settings.SessionExpiry.TotalSeconds)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
                    .Build();
                var result = await client.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
                await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(AlertTopicFilter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build(), cancellationToken).ConfigureAwait(false);
                IsConnected = true;
                backoff = TimeSpan.FromMilliseconds(200);
                LogConnected(settings.Host, settings.Port, result.IsSessionPresent);
                await lost.WaitAsync(cancellationToken).ConfigureAwait(false);
                LogDisconnected(settings.Host, settings.Port);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogConnectFailed(e, settings.Host, settings.Port, backoff);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Publishes at QoS 1; throws when not connected.</summary>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            throw new InvalidOperationException("no MQTT broker is configured (Notify:Mqtt:Host)");
        }

        if (!client.IsConnected)
        {
            throw new InvalidOperationException($"not connected to the broker {settings.Host}:{settings.Port}");
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused the message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            try
            {
                // Keep the session: the broker queues alerts for the next start.
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build()).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        client.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot handle the alert event on {Topic}; reconnecting so the broker sends it again")]
    private partial void LogHandlingFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the broker {Host}:{Port} (session present: {SessionPresent})")]
    private partial void LogConnected(string host, int port, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the broker {Host}:{Port}; reconnecting")]
    private partial void LogDisconnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to the broker {Host}:{Port}; retrying in {Backoff}")]
    private partial void LogConnectFailed(Exception exception, string host, int port, TimeSpan backoff);
}
