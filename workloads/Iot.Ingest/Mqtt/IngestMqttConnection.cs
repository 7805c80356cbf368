using System.Buffers;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Ingest.Mqtt;

/// <summary>
/// ingest's one connection to the broker: MQTT 5, a fixed client id and a persistent session (clean start false), so
/// telemetry published while a replica restarts waits for it. It subscribes to
/// <c>$share/&lt;group&gt;/devices/+/telemetry</c> at QoS 1 and queues each message in the <see cref="TelemetryIntake"/>
/// without acknowledging it; <see cref="IntakeProcessor"/> acknowledges once the message is stored. Rule actions and
/// rejections are published through it. Reconnects with backoff until stopped.
/// </summary>
internal sealed partial class IngestMqttConnection : IAsyncDisposable
{
    private const int KeptBytesOfOversizeMessages = 1024;

    private readonly IngestOptions options;
    private readonly IngestMqttOptions settings;
    private readonly TelemetryIntake intake;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim lost = new(0);
    private readonly Lock gate = new();
    private TaskCompletionSource connected = NewConnected();
    private CancellationToken stopping;
    private int connection;
    private volatile bool subscribed;

    public IngestMqttConnection(IOptions<IngestOptions> options, TelemetryIntake intake, TimeProvider time, ILogger<IngestMqttConnection> logger)
    {
        this.options = options.Value;
        settings = options.Value.Mqtt;
        this.intake = intake;
        this.time = time;
        this.logger = logger;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            subscribed = false;
            if (!e.ClientWasConnected)
            {
                return Task.CompletedTask;
            }

            lock (gate)
            {
                if (connected.Task.IsCompleted)
                {
                    connected = NewConnected();
                }
            }

            lost.Release();
            return Task.CompletedTask;
        };
    }

    /// <summary>True while connected and subscribed to telemetry.</summary>
    public bool IsSubscribed => subscribed;

    /// <summary>The telemetry subscription.</summary>
    public string TelemetryFilter => TelemetryTopic.SharedFilter(settings.ShareGroup);

    /// <summary>Connects, subscribes, and reconnects after every loss until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        stopping = cancellationToken;
        var backoff = settings.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Interlocked.Increment(ref connection);
                var connect = new MqttClientOptionsBuilder()
                    .WithTcpServer(settings.Host, settings.Port)
                    .WithClientId(settings.ClientId)
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithCleanStart(false)
                    .WithSessionExpiryInterval((uint)settings.SessionExpiry.TotalSeconds)
                    .WithReceiveMaximum((ushort)Math.Min(options.IntakeCapacity, ushort.MaxValue))
                    .WithKeepAlivePeriod(settings.KeepAlive);
                if (!string.IsNullOrEmpty(settings.Username))
                {
                    connect.WithCredentials(settings.Username, settings.Password);
                }

                var result = await client.ConnectAsync(connect.Build(), cancellationToken);
                var subscription = await client.SubscribeAsync(
                    new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(TelemetryFilter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build(),
                    cancellationToken);
                if (subscription.Items.Any(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
                {
                    throw new InvalidOperationException($"the broker refused the subscription {TelemetryFilter}: {string.Join(", ", subscription.Items.Select(i => i.ResultCode))}");
                }

                subscribed = true;
                lock (gate)
                {
                    connected.TrySetResult();
                }

                backoff = settings.ReconnectDelay;
                LogConnected(settings.Host, settings.Port, settings.ClientId, result.IsSessionPresent, TelemetryFilter);
                await lost.WaitAsync(cancellationToken);
                LogDisconnected(settings.Host, settings.Port);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogConnectFailed(settings.Host, settings.Port, backoff, e.Message);
                await DisconnectQuietlyAsync();
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Publishes once connected; the broker's answer says whether it took the message. Connection failures are exceptions.</summary>
    public async Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        Task ready;
        lock (gate)
        {
            ready = connected.Task;
        }

        await ready.WaitAsync(cancellationToken);
        return await client.PublishAsync(message, cancellationToken);
    }

    /// <summary>
    /// Acknowledges a telemetry message on the connection it came on. After a reconnect the broker sends unacknowledged
    /// messages again, so acknowledging on a later connection (where the packet id may mean another message) is skipped.
    /// </summary>
    public async ValueTask AcknowledgeAsync(IncomingTelemetry message, CancellationToken cancellationToken)
    {
        if (message.Connection != Volatile.Read(ref connection))
        {
            return;
        }

        try
        {
            await message.Delivery.AcknowledgeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAcknowledgeFailed(message.Device, e.Message);
        }
    }

    /// <summary>
    /// Disconnects normally, which keeps the session: the broker holds telemetry (and this connection's unacknowledged
    /// messages) for this client id until it is back.
    /// </summary>
    public Task DisconnectAsync() => DisconnectQuietlyAsync();

    public async ValueTask DisposeAsync()
    {
        await DisconnectQuietlyAsync();
        client.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        if (!TelemetryTopic.TryGetDevice(message.Topic, out var device))
        {
            await e.AcknowledgeAsync(stopping);
            return;
        }

        var length = message.Payload.Length;
        var payload = length > options.MaxMessageBytes ? message.Payload.Slice(0, KeptBytesOfOversizeMessages).ToArray() : message.Payload.ToArray();
        try
        {
            await intake.WriteAsync(new IncomingTelemetry(device, payload, (int)Math.Min(length, int.MaxValue), time.GetUtcNow(), e, Volatile.Read(ref connection)), stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: left unacknowledged, so the broker sends it again to the next connection.
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static TaskCompletionSource NewConnected() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the broker {Host}:{Port} as {ClientId} (session present: {SessionPresent}); subscribed to {Filter}")]
    private partial void LogConnected(string host, int port, string clientId, bool sessionPresent, string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the broker {Host}:{Port}; reconnecting")]
    private partial void LogDisconnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to the broker {Host}:{Port} ({Error}); retrying in {Backoff}")]
    private partial void LogConnectFailed(string host, int port, TimeSpan backoff, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not acknowledge a telemetry message of {Device} ({Error}); the broker will send it again")]
    private partial void LogAcknowledgeFailed(string device, string error);
}
