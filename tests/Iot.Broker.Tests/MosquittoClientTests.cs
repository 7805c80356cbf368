using Iot.Broker.Tests.Support;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

/// <summary>Our broker through mosquitto_pub and mosquitto_sub: authentication and ACLs as a device sees them.</summary>
public sealed class MosquittoClientTests : IAsyncLifetime
{
    private TestBroker broker = null!;

    public async Task InitializeAsync() => broker = await TestBroker.StartAsync();

    public async Task DisposeAsync() => await broker.DisposeAsync();

    [Fact]
    public async Task Allowed_publish_arrives_at_a_workload_subscriber()
    {
        var password = broker.AddDevice("thermo-1");
        await using var workload = await InternalSubscriberAsync("devices/+/telemetry");

        var (exit, output) = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5",
            "-t", "devices/thermo-1/telemetry", "-m", """{"temperature":21.5}""");

        Assert.True(exit == 0, output);
        await workload.WaitForMessagesAsync(1);
        Assert.Equal(["""devices/thermo-1/telemetry {"temperature":21.5}"""], workload.Messages);
        Assert.Equal(0, broker.Counter("iot_broker_auth_failures_total"));
    }

    [Fact]
    public async Task Device_with_wrong_password_is_refused()
    {
        broker.AddDevice("thermo-1");

        var (exit, output) = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", "wrong", "-t", "devices/thermo-1/telemetry", "-m", "x");

        Assert.NotEqual(0, exit);
        Assert.Contains("Connection Refused", output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, broker.Counter("iot_broker_auth_failures_total", "reason=bad_password"));
    }

    [Fact]
    public async Task Unknown_device_and_client_id_other_than_the_device_id_are_refused()
    {
        var password = broker.AddDevice("thermo-1");

        var unknown = await PublishAsync(broker.Port, "-i", "ghost", "-u", "ghost", "-P", password, "-t", "devices/ghost/telemetry", "-m", "x");
        var impersonating = await PublishAsync(broker.Port, "-i", "someone-else", "-u", "thermo-1", "-P", password, "-t", "devices/thermo-1/telemetry", "-m", "x");

        Assert.NotEqual(0, unknown.ExitCode);
        Assert.NotEqual(0, impersonating.ExitCode);
        Assert.Equal(1, broker.Counter("iot_broker_auth_failures_total", "reason=unknown_device"));
        Assert.Equal(1, broker.Counter("iot_broker_auth_failures_total", "reason=client_id_mismatch"));
    }

    [Fact]
    public async Task Publish_to_another_devices_topic_is_denied_with_reason_135_and_counted()
    {
        var password = broker.AddDevice("thermo-1");
        broker.AddDevice("thermo-2");
        await using var workload = await InternalSubscriberAsync("#");

        var denied = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5",
            "-t", "devices/thermo-2/telemetry", "-m", "forged");
        var internalBus = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5",
            "-t", "_iot/alerts/x/y", "-m", "forged");
        // A message that is allowed, after the denied ones: when it arrives, the denied ones would have arrived before it.
        await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-t", "devices/thermo-1/state", "-m", "sentinel");

        await workload.WaitForMessagesAsync(1);
        Assert.Equal(["devices/thermo-1/state sentinel"], workload.Messages);
        Assert.Contains("Not authorized", denied.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Not authorized", internalBus.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, broker.Counter("iot_broker_publish_denied_total"));
    }

    [Fact]
    public async Task Subscribing_to_another_devices_command_topic_yields_nothing()
    {
        var password = broker.AddDevice("thermo-1");
        broker.AddDevice("thermo-2");
        await using var device = Subscribe(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5",
            "-t", "devices/thermo-2/command", "-t", "devices/thermo-1/command", "-t", "devices/#");
        await device.WaitForSubscribedAsync();

        await PublishInternalAsync("devices/thermo-2/command", "for-thermo-2");
        await PublishInternalAsync("devices/thermo-1/command", "for-thermo-1");

        await device.WaitForMessagesAsync(1);
        Assert.Equal(["devices/thermo-1/command for-thermo-1"], device.Messages);
        Assert.Equal(2, broker.Counter("iot_broker_subscribe_denied_total"));
    }

    [Fact]
    public async Task Oversized_message_is_rejected_and_counted()
    {
        using var directory = new TempDirectory();
        var big = directory.Write("big.json", new string('x', (256 * 1024) + 1));
        var password = broker.AddDevice("thermo-1");
        await using var workload = await InternalSubscriberAsync("devices/#");

        var v5 = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5", "-t", "devices/thermo-1/telemetry", "-f", big);
        var v311 = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-t", "devices/thermo-1/telemetry", "-f", big);
        await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-t", "devices/thermo-1/telemetry", "-m", "sentinel");

        await workload.WaitForMessagesAsync(1);
        Assert.Equal(["devices/thermo-1/telemetry sentinel"], workload.Messages);
        Assert.Contains("too large", v5.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, v311.ExitCode);
        Assert.Equal(2, broker.Counter("iot_broker_messages_dropped_total", "reason=oversize"));
    }

    [Fact]
    public async Task Disabled_device_is_disconnected_and_cannot_reconnect()
    {
        var password = broker.AddDevice("thermo-1");
        await using var device = Subscribe(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-V", "5", "-t", "devices/thermo-1/command");
        await device.WaitForSubscribedAsync();

        broker.AddDevice("thermo-1", disabled: true);

        await device.WaitForExitAsync();
        var again = await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-t", "devices/thermo-1/telemetry", "-m", "x");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(1, broker.Counter("iot_broker_auth_failures_total", "reason=disabled"));
    }

    [Fact]
    public async Task Retained_state_reaches_a_later_subscriber()
    {
        var password = broker.AddDevice("thermo-1");
        await PublishAsync(broker.Port, "-i", "thermo-1", "-u", "thermo-1", "-P", password, "-q", "1", "-r", "-t", "devices/thermo-1/state", "-m", """{"mode":"heat"}""");

        await using var workload = await InternalSubscriberAsync("devices/+/state");

        await workload.WaitForMessagesAsync(1);
        Assert.Equal(["""devices/thermo-1/state {"mode":"heat"}"""], workload.Messages);
    }

    [Fact]
    public async Task Publishes_over_the_rate_limit_are_slowed_down_and_counted_not_dropped()
    {
        await using var limited = await TestBroker.StartAsync(o => { o.PublishRateLimit = 20; o.PublishBurst = 1; });
        var password = limited.AddDevice("chatty-1");
        await using var workload = await InternalSubscriberAsync("devices/+/telemetry", limited);

        var (exit, output) = await PublishAsync(limited.Port, "-i", "chatty-1", "-u", "chatty-1", "-P", password, "-q", "1", "-t", "devices/chatty-1/telemetry", "-m", "x", "--repeat", "10");

        Assert.True(exit == 0, output);
        await workload.WaitForMessagesAsync(10);
        Assert.True(limited.Counter("iot_broker_publish_throttled_total") > 0);
        Assert.Equal(0, limited.Counter("iot_broker_messages_dropped_total"));
    }

    private async Task<Subscriber> InternalSubscriberAsync(string filter, TestBroker? on = null)
    {
        var subscriber = Subscribe((on ?? broker).Port, "-i", $"workload-{Guid.NewGuid():N}", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-V", "5", "-t", filter);
        await subscriber.WaitForSubscribedAsync();
        return subscriber;
    }

    private async Task PublishInternalAsync(string topic, string payload)
    {
        var (exit, output) = await PublishAsync(broker.Port, "-i", $"workload-{Guid.NewGuid():N}", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-t", topic, "-m", payload);
        Assert.True(exit == 0, output);
    }
}
