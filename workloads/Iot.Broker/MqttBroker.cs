using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

using Iot.Broker.Acl;
using Iot.Broker.Auth;
using Iot.Broker.Backpressure;
using Iot.Broker.Metrics;
using Iot.Broker.RateLimiting;
using Iot.Broker.Registry;
using Iot.Broker.SharedSubscriptions;
using Iot.Broker.Status;

using Microsoft.Extensions.Logging;

using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Iot.Broker;

/// <summary>
/// The broker: MQTTnet.Server with the platform's rules on top — per-device authentication and topic ACLs, shared
/// subscriptions, push-back instead of loss, a maximum message size, a per-device publish rate limit, revocation within
/// moments of a registry change, and connection status reports.
/// </summary>
public sealed partial class MqttBroker : IAsyncDisposable
{
    /// <summary>PUBACK reason for an oversized message, as Mosquitto answers it (MQTT 5 "Packet too large").</summary>
    private const MqttPubAckReasonCode PacketTooLarge = (MqttPubAckReasonCode)0x95;

    private const int MinThreadPoolThreads = 64;

    private readonly BrokerOptions options;
    private readonly IDeviceRegistry registry;
    private readonly ConnectionAuthenticator authenticator;
    private readonly PasswordVerifier passwords = new();
    private readonly SharedSubscriptionTable shared;
    private readonly SubscriberQueues queues;
    private readonly ConnectionStatusReporter? status;
    private readonly BrokerMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, ClientContext> clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ClientId, string Filter), SharedFilter> sharedRewrites = new();
    private readonly CancellationTokenSource stopping = new();
    private MqttServer? server;
    private Task? statusLoop;
    private X509Certificate2? configuredClientCa;

    /// <summary>A broker with <paramref name="options"/> over <paramref name="registry"/>; <paramref name="statusSink"/> receives connection states (none: not reported).</summary>
    public MqttBroker(BrokerOptions options, IDeviceRegistry registry, IConnectionStatusSink? statusSink, Meter meter, ILogger<MqttBroker> logger, TimeProvider? time = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.registry = registry ?? throw new ArgumentNullException(nameof(registry));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.time = time ?? TimeProvider.System;
        metrics = new BrokerMetrics(meter, CountConnections);
        authenticator = new ConnectionAuthenticator(options, registry, passwords);
        shared = new SharedSubscriptionTable(options.SharedSubscriptionDispatch);
        queues = new SubscriberQueues(options.MaxQueuedMessagesPerClient, options.MaxBackpressureWait, this.time);
        if (statusSink is not null)
        {
            status = new ConnectionStatusReporter(statusSink, options.StatusWritesPerSecond, options.LastSeenInterval, this.time, metrics, logger);
        }

        registry.DeviceChanged += OnDeviceChanged;
    }

    /// <summary>True while the listeners accept connections.</summary>
    public bool IsListening => server?.IsStarted == true;

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (server is not null)
        {
            throw new InvalidOperationException("The broker is already started.");
        }

        // MQTTnet's connection loops hop through the thread pool on every packet and block pool threads in places; with the
        // default minimum (one thread per core) the pool starves under load and grows slowly: measured at 5,000 msg/s, p50
        // latency 150 ms at a quarter of a core, against 8 ms with 64 threads available at once. Process-wide, raise only.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinThreadPoolThreads), Math.Max(completionPorts, MinThreadPoolThreads));
        server = new MqttServerFactory().CreateMqttServer(BuildServerOptions());
        server.ValidatingConnectionAsync += OnValidatingConnectionAsync;
        server.ClientConnectedAsync += OnClientConnectedAsync;
        server.ClientDisconnectedAsync += OnClientDisconnectedAsync;
        server.SessionDeletedAsync += OnSessionDeletedAsync;
        server.InterceptingInboundPacketAsync += OnInboundPacketAsync;
        server.InterceptingOutboundPacketAsync += OnOutboundPacketAsync;
        server.InterceptingPublishAsync += OnPublishAsync;
        server.InterceptingSubscriptionAsync += OnSubscriptionAsync;
        server.InterceptingUnsubscriptionAsync += OnUnsubscriptionAsync;
        server.InterceptingClientEnqueueAsync += OnClientEnqueueAsync;
        cancellationToken.ThrowIfCancellationRequested();
        await server.StartAsync().ConfigureAwait(false);
        if (status is not null)
        {
            statusLoop = status.RunAsync(stopping.Token);
        }

        LogStarted(logger, options.BindAddress, options.Port, TlsEnabled ? options.TlsPort : 0);
    }

    /// <summary>Stops: every client gets a DISCONNECT (server shutting down), then the listeners close.</summary>
    public async Task StopAsync()
    {
        if (server is { IsStarted: true } running)
        {
            await running.StopAsync(new MqttServerStopOptions
            {
                DefaultClientDisconnectOptions = new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown },
            }).ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (statusLoop is not null)
        {
            await statusLoop.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        registry.DeviceChanged -= OnDeviceChanged;
        await StopAsync().ConfigureAwait(false);
        server?.Dispose();
        configuredClientCa?.Dispose();
        stopping.Dispose();
    }

    private bool TlsEnabled => options.TlsCertificatePath is not null && options.TlsPort > 0;

    private MqttServerOptions BuildServerOptions()
    {
        var address = IPAddress.Parse(options.BindAddress);
        var builder = new MqttServerOptionsBuilder()
            .WithPersistentSessions(options.PersistentSessions)
            // Our own bound (SubscriberQueues) pushes back before this is reached; MQTTnet's would drop the oldest message.
            .WithMaxPendingMessagesPerClient(int.MaxValue)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropNewMessage);
        if (options.Port > 0)
        {
            builder = builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None).WithDefaultEndpointPort(options.Port);
        }
        else
        {
            builder = builder.WithoutDefaultEndpoint();
        }

        if (TlsEnabled)
        {
            configuredClientCa = options.ClientCaPath is { } caPath ? X509Certificate2.CreateFromPemFile(caPath) : null;
            builder = builder.WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(address)
                .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptedEndpointPort(options.TlsPort)
                .WithEncryptionCertificate(LoadServerCertificate())
                .WithClientCertificate(ValidateClientCertificate);
        }

        var built = builder.Build();
        // Ask TLS clients for a certificate, but let password clients connect without one.
        built.TlsEndpointOptions.ClientCertificateRequired = TlsEnabled;
        return built;
    }

    private X509Certificate2 LoadServerCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath!, options.TlsKeyPath);
        // SslStream needs a key it can use from a persisted store on some platforms; a PKCS#12 round trip gives one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2? ClientCa => configuredClientCa ?? registry.ClientCertificateAuthority;

    // A missing certificate is fine (password clients); a present one must chain to the device CA.
    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return true;
        }

        if (ClientCa is not { } ca)
        {
            metrics.AuthFailure(AuthFailure.Certificate);
            return false;
        }

        using var client = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var verify = new X509Chain();
        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verify.ChainPolicy.CustomTrustStore.Add(ca);
        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verify.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        var trusted = verify.Build(client);
        if (!trusted)
        {
            metrics.AuthFailure(AuthFailure.Certificate);
        }

        return trusted;
    }

    private Task OnValidatingConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var clientId = e.ClientId;
        if (string.IsNullOrEmpty(clientId) && e.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
        {
            // MQTT 5 lets the server assign an id (MQTTnet uses it after this event; 3.1.1 clients without one are refused).
            e.AssignedClientIdentifier = clientId = $"auto-{Guid.NewGuid():N}";
        }

        var result = authenticator.Authenticate(clientId, e.UserName, e.RawPassword is null ? null : e.Password, e.ClientCertificate);
        if (result.Identity is not { } identity)
        {
            metrics.AuthFailure(result.Failure!);
            e.ReasonCode = result.Failure switch
            {
                AuthFailure.ClientIdMismatch => MqttConnectReasonCode.ClientIdentifierNotValid,
                AuthFailure.Disabled or AuthFailure.NoCredentials or AuthFailure.Certificate => MqttConnectReasonCode.NotAuthorized,
                _ => MqttConnectReasonCode.BadUserNameOrPassword,
            };
            LogRefused(logger, clientId, result.Failure!);
            return Task.CompletedTask;
        }

        if (e.CleanSession == true)
        {
            // A clean start replaces the old session and its subscriptions.
            shared.RemoveClient(clientId);
            queues.Forget(clientId);
        }

        var limiter = identity.IsInternal || options.PublishRateLimit <= 0 ? null : new PublishRateLimiter(options.PublishRateLimit, options.PublishBurst, time);
        clients[clientId] = new ClientContext(identity, limiter, e.RemoteEndPoint);
        return Task.CompletedTask;
    }

    private Task OnClientConnectedAsync(ClientConnectedEventArgs e)
    {
        shared.SetConnected(e.ClientId, true);
        if (clients.TryGetValue(e.ClientId, out var client) && client.Identity.DeviceId is { } deviceId)
        {
            status?.Connected(deviceId);
            // A registry change between CONNECT and now would have found no client to disconnect.
            if (!authenticator.IsStillValid(client.Identity))
            {
                _ = DisconnectAsync(e.ClientId, client);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnClientDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (e.DisconnectType == MqttClientDisconnectType.Takeover)
        {
            return Task.CompletedTask; // the new connection of the same client id keeps its context
        }

        // Only this connection's context: a reconnect may already have replaced it.
        if (clients.TryGetValue(e.ClientId, out var client) && Equals(client.Endpoint, e.RemoteEndPoint) && clients.TryRemove(new KeyValuePair<string, ClientContext>(e.ClientId, client)))
        {
            shared.SetConnected(e.ClientId, false);
            if (client.Identity.DeviceId is { } deviceId)
            {
                status?.Disconnected(deviceId);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnSessionDeletedAsync(SessionDeletedEventArgs e)
    {
        shared.RemoveClient(e.Id);
        queues.Forget(e.Id);
        return Task.CompletedTask;
    }

    // MQTTnet answers every $share/ filter with "shared subscriptions not supported" before any interceptor runs, so the
    // SUBSCRIBE is rewritten to the plain filter here and the group is remembered for dispatch.
    private Task OnInboundPacketAsync(InterceptingPacketEventArgs e)
    {
        switch (e.Packet)
        {
            case MqttSubscribePacket subscribe:
                foreach (var filter in subscribe.TopicFilters)
                {
                    if (SharedFilter.TryParse(filter.Topic, out var sharedFilter))
                    {
                        filter.Topic = sharedFilter.Filter;
                        filter.RetainHandling = MqttRetainHandling.DoNotSendOnSubscribe; // MQTT 5 §4.8.2: no retained messages for shared subscriptions
                        filter.NoLocal = false;
                        sharedRewrites[(e.ClientId, sharedFilter.Filter)] = sharedFilter;
                    }
                }

                break;
            case MqttUnsubscribePacket unsubscribe:
                for (var i = 0; i < unsubscribe.TopicFilters.Count; i++)
                {
                    if (SharedFilter.TryParse(unsubscribe.TopicFilters[i], out var sharedFilter))
                    {
                        unsubscribe.TopicFilters[i] = sharedFilter.Filter;
                        shared.Leave(e.ClientId, sharedFilter);
                    }
                }

                break;
        }

        return Task.CompletedTask;
    }

    // MQTTnet's CONNACK says shared subscriptions are unavailable; clients that honour it would never try them.
    private static Task OnOutboundPacketAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttConnAckPacket connAck)
        {
            connAck.SharedSubscriptionAvailable = true;
        }

        return Task.CompletedTask;
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        metrics.Received();
        var message = e.ApplicationMessage;
        if (!clients.TryGetValue(e.ClientId, out var client))
        {
            Deny(e, MqttPubAckReasonCode.NotAuthorized);
            return;
        }

        if (message.Payload.Length > options.MaxMessageSize)
        {
            metrics.Dropped("oversize");
            e.ProcessPublish = false;
            e.Response.ReasonCode = PacketTooLarge;
            e.Response.ReasonString = $"payload of {message.Payload.Length} bytes exceeds the maximum of {options.MaxMessageSize}";
            return;
        }

        if (!TopicAcl.CanPublish(client.Identity, message.Topic))
        {
            metrics.PublishDenied();
            Deny(e, MqttPubAckReasonCode.NotAuthorized);
            return;
        }

        if (client.Identity.DeviceId is { } deviceId)
        {
            status?.Seen(deviceId);
        }

        if (client.RateLimiter?.Acquire() is { } wait && wait > TimeSpan.Zero)
        {
            metrics.Throttled();
            await Task.Delay(wait, time, e.CancellationToken).ConfigureAwait(false);
        }
    }

    private static void Deny(InterceptingPublishEventArgs e, MqttPubAckReasonCode reason)
    {
        e.ProcessPublish = false;
        e.Response.ReasonCode = reason;
    }

    private Task OnSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        sharedRewrites.TryRemove((e.ClientId, filter), out var sharedFilter);
        if (!clients.TryGetValue(e.ClientId, out var client) || !TopicAcl.CanSubscribe(client.Identity, filter))
        {
            metrics.SubscribeDenied();
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            return Task.CompletedTask;
        }

        queues.Track(e.ClientId, e.Session);
        if (sharedFilter is not null)
        {
            shared.Join(e.ClientId, sharedFilter);
        }
        else if (client.Identity.IsInternal)
        {
            // Only a client that may also be in a shared group needs its plain subscriptions known.
            shared.AddPlain(e.ClientId, filter);
        }

        return Task.CompletedTask;
    }

    private Task OnUnsubscriptionAsync(InterceptingUnsubscriptionEventArgs e)
    {
        shared.RemovePlain(e.ClientId, e.Topic);
        return Task.CompletedTask;
    }

    private async Task OnClientEnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        var receiver = e.ReceiverClientId;
        if (!shared.ShouldDeliver(receiver, e.ApplicationMessage))
        {
            e.AcceptEnqueue = false;
            return;
        }

        var qos1 = e.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
        switch (queues.Decide(receiver, qos1))
        {
            case QueueDecision.Drop:
                metrics.Dropped("queue_full");
                e.AcceptEnqueue = false;
                return;
            case QueueDecision.Wait when e.SenderClientId.Length == 0 || e.SenderClientId == receiver:
                // Retained messages on subscribe and a client's own messages: waiting would wait on the waiter itself.
                metrics.QueueOverflow();
                break;
            case QueueDecision.Wait:
                metrics.BackpressureWait();
                if (!await queues.WaitForRoomAsync(receiver, stopping.Token).ConfigureAwait(false))
                {
                    metrics.QueueOverflow();
                }

                break;
        }

        metrics.Sent();
    }

    private void OnDeviceChanged(string deviceId)
    {
        passwords.Forget(deviceId);
        if (clients.TryGetValue(deviceId, out var client) && !authenticator.IsStillValid(client.Identity))
        {
            _ = DisconnectAsync(deviceId, client);
        }
    }

    private async Task DisconnectAsync(string clientId, ClientContext client)
    {
        if (server is null)
        {
            return;
        }

        try
        {
            LogRevoked(logger, clientId);
            await server.DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = "device disabled, deleted or its credentials changed" }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
        {
            LogDisconnectFailed(logger, clientId, e);
        }
        finally
        {
            clients.TryRemove(new KeyValuePair<string, ClientContext>(clientId, client));
        }
    }

    private (int Devices, int Workloads) CountConnections()
    {
        var devices = 0;
        var workloads = 0;
        foreach (var client in clients.Values)
        {
            if (client.Identity.IsInternal)
            {
                workloads++;
            }
            else
            {
                devices++;
            }
        }

        return (devices, workloads);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker listening on {Address}: MQTT port {Port}, TLS port {TlsPort} (0: off)")]
    private static partial void LogStarted(ILogger logger, string address, int port, int tlsPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused client {ClientId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnecting client {ClientId}: its device was disabled, deleted or its credentials changed")]
    private static partial void LogRevoked(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnecting client {ClientId} failed")]
    private static partial void LogDisconnectFailed(ILogger logger, string clientId, Exception exception);

    /// <summary>A connected client: who it is, its rate limiter, and its remote endpoint (which tells its connections apart).</summary>
    private sealed record ClientContext(ClientIdentity Identity, PublishRateLimiter? RateLimiter, EndPoint? Endpoint);
}
