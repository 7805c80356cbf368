using System.Globalization;
using System.Net;

using Iot.Ingest.Telemetry;
using Iot.Ingest.Tests.Support;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Tests.Hosting;

[Collection(IngestCollection.Name)]
public sealed class IngestHostingTests(IngestFixture fixture)
{
    [Fact]
    public async Task Readiness_waits_for_the_telemetry_subscription_and_says_so()
    {
        var ns = await fixture.CreateNamespaceAsync();
        await using var ingest = await IngestHost.StartAsync(fixture, ns, settings: new Dictionary<string, string?>
        {
            ["Ingest:Mqtt:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        }, waitUntilReady: false);

        var (status, body) = (HttpStatusCode.OK, "");
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await ingest.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
                (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
                return !body.Contains("not listed", StringComparison.Ordinal) && !body.Contains("store", StringComparison.Ordinal);
            },
            "only the subscription is missing");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"ingest: Unhealthy (not subscribed to $share/ingest-{ns}/devices/+/telemetry yet)", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ingest.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Settings_that_cannot_work_stop_the_start_naming_their_keys()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IngestHost.StartAsync(fixture, "", settings: new Dictionary<string, string?>
        {
            ["Ingest:Mqtt:Port"] = "0",
            ["Ingest:BatchSize"] = "0",
        }));

        Assert.Contains("Ingest:Namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ingest:Mqtt:Port", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ingest:BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_not_yet_stored_when_ingest_stops_is_delivered_again_to_its_next_start()
    {
        var ns = await fixture.CreateNamespaceAsync();
        await fixture.CreateDeviceAsync(ns, "{metadata: {name: plug-1}, spec: {type: plug}}");
        var session = new Dictionary<string, string?> { ["Ingest:Mqtt:ClientId"] = $"ingest-{ns}-0" };
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        var stalled = new StalledStore();
        await using (var first = await IngestHost.StartAsync(fixture, ns, settings: session, services: s => s.AddSingleton<ITimeSeriesStore>(stalled)))
        {
            await device.PublishTelemetryAsync("plug-1", """{"power":1200}""");
            await stalled.Writing.WaitAsync(Eventually.Timeout);
        }

        await using var second = await IngestHost.StartAsync(fixture, ns, settings: session);
        await Eventually.TrueAsync(() => second.Metrics.Messages(RejectionReasons.Accepted) == 1, "the broker sends the unacknowledged message to the next start");
        await second.Store.FlushAsync();
        var point = Assert.Single(await fixture.QueryAsync(ns, "SELECT power FROM default_raw.telemetry"));
        Assert.Equal(1200L, point["power"]);
    }

    // A store whose writes never complete: the process "dies" between receiving a message and storing it.
    private sealed class StalledStore : ITimeSeriesStore
    {
        private readonly TaskCompletionSource writing = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Writing => writing.Task;

        public async ValueTask WriteAsync(IReadOnlyList<TelemetryPoint> points, CancellationToken cancellationToken = default)
        {
            writing.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<TelemetryPoint>> QueryRawAsync(RawQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<AggregateBucket>> QueryAggregateAsync(AggregateQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
