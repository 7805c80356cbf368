using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using Iot.Cli.Dev;
using Iot.Testing;

using k8s;

namespace Iot.Benchmarks;

/// <summary>
/// Dev mode's start-up (issue 10): from <see cref="DevEnvironment.StartAsync"/> (already built) to every example object
/// Ready (a disabled Device: Disabled), and to the first simulated telemetry point of thermo-101 stored and served by analytics. Goal: under 15 s.
/// </summary>
internal static class DevBenchmarks
{

    public static async Task RunAsync(BenchmarkTable table)
    {
        using var directory = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        await using var dev = await DevEnvironment.StartAsync(new DevOptions
        {
            Directory = directory.Path,
            CrdDirectory = RepositoryRoot.Combine("crds"),
            ExamplesDirectory = RepositoryRoot.Combine("examples"),
        });
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(dev.KubeconfigPath));
        var deadline = TimeSpan.FromSeconds(60);
        TimeSpan? ready = null;
        TimeSpan? stored = null;
        while ((ready is null || stored is null) && clock.Elapsed < deadline)
        {
            if (ready is null && await ExampleReadiness.EveryObjectIsReadyAsync(kube, "building-a"))
            {
                ready = clock.Elapsed;
            }

            if (stored is null && await dev.GetEndpointsAsync() is { Analytics: { } analytics, Token: { } token } && await HasTelemetryAsync(http, analytics, token))
            {
                stored = clock.Elapsed;
            }

            await Task.Delay(50);
        }

        table.Add("dev mode: start to every example Ready (goal < 15 s)", ready?.TotalSeconds ?? double.NaN, "s");
        table.Add("dev mode: start to first telemetry stored (goal < 15 s)", stored?.TotalSeconds ?? double.NaN, "s");
    }

    private static async Task<bool> HasTelemetryAsync(HttpClient http, string analytics, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{analytics}/sensors/thermo-101/data");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode
            && JsonNode.Parse(await response.Content.ReadAsStringAsync())?["points"]?.AsArray().Count > 0;
    }
}
