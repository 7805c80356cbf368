using Iot.Api;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Kubectl;

/// <summary>The real kubectl (v1.32) against a started LocalCluster, through the kubeconfig it writes.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly TempDirectory dir = new();
    private LocalCluster cluster = null!;
    private Kubectl kubectl = null!;

    public async Task InitializeAsync()
    {
        Kubectl.RequireInstalled();
        var kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        cluster = await LocalCluster.StartAsync(new LocalClusterOptions { KubeconfigPath = kubeconfig });
        kubectl = new Kubectl(kubeconfig);
    }

    public async Task DisposeAsync()
    {
        kubectl?.Dispose();
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        dir.Dispose();
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await kubectl.RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
        return output;
    }

    private async Task InstallExamplesAsync()
    {
        await OkAsync("apply", "--server-side", "-f", RepositoryRoot.Combine("crds"));
        await OkAsync("apply", "-f", RepositoryRoot.Combine("examples"));
    }

    [Fact]
    public async Task Apply_twice_reports_every_object_unchanged_the_second_time()
    {
        var crds = await OkAsync("apply", "--server-side", "-f", RepositoryRoot.Combine("crds"));
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/devices.iotoperator.io serverside-applied", crds, StringComparison.Ordinal);
        var first = await OkAsync("apply", "-f", RepositoryRoot.Combine("examples"));
        Assert.Contains("device.iotoperator.io/thermo-101 created", first, StringComparison.Ordinal);
        var second = await OkAsync("apply", "-f", RepositoryRoot.Combine("examples"));
        var lines = second.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 19 + 2, lines.Length);
        Assert.All(lines, l => Assert.EndsWith(" unchanged", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_devices_prints_the_printer_columns()
    {
        await InstallExamplesAsync();
        var output = await OkAsync("get", "devices", "-n", "building-a");
        var header = output.Split('\n')[0];
        Assert.Equal(["NAME", "TYPE", "ROOM", "ONLINE", "READY", "AGE"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(output.Split('\n'), l => l.StartsWith("thermo-101 ", StringComparison.Ordinal) && l.Contains("thermostat", StringComparison.Ordinal) && l.Contains("lab-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_iot_lists_all_four_kinds()
    {
        await InstallExamplesAsync();
        var output = await OkAsync("get", "iot", "-n", "building-a");
        foreach (var expected in new[] { "device.iotoperator.io/thermo-101", "room.iotoperator.io/lab-1", "edgerule.iotoperator.io/lab-overheating", "alertroute.iotoperator.io/critical-oncall" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Describe_shows_a_device()
    {
        await InstallExamplesAsync();
        var output = await OkAsync("describe", "device", "thermo-101", "-n", "building-a");
        Assert.Contains("thermo-101", output, StringComparison.Ordinal);
        Assert.Contains("thermostat", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_returns_once_the_Ready_condition_is_set_through_the_api()
    {
        await InstallExamplesAsync();
        using var waiting = kubectl.Start("wait", "--for=condition=Ready", "device/thermo-101", "-n", "building-a", "--timeout=60s");
        var output = waiting.StandardOutput.ReadToEndAsync();
        using var client = cluster.CreateClient();
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Provisioned","message":"credentials issued","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""", V1Patch.PatchType.MergePatch),
            IotApi.Group, IotApi.Version, "building-a", "devices", "thermo-101");
        await waiting.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, waiting.ExitCode);
        Assert.Contains("device.iotoperator.io/thermo-101 condition met", await output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_watch_prints_a_change()
    {
        await InstallExamplesAsync();
        using var watching = kubectl.Start("get", "devices", "-n", "building-a", "-w");
        var reader = watching.StandardOutput;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var initial = new List<string>();
        while (initial.Count < 11 && await reader.ReadLineAsync(patience.Token) is { } line)
        {
            initial.Add(line); // header and the ten devices
        }

        using var client = cluster.CreateClient();
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"room":"office-2"}}""", V1Patch.PatchType.MergePatch), IotApi.Group, IotApi.Version, "building-a", "devices", "thermo-101");
        string? changed;
        do
        {
            changed = await reader.ReadLineAsync(patience.Token);
        }
        while (changed is not null && !changed.StartsWith("thermo-101", StringComparison.Ordinal));
        Assert.NotNull(changed);
        Assert.Contains("office-2", changed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_removes_the_examples()
    {
        await InstallExamplesAsync();
        await OkAsync("delete", "-f", RepositoryRoot.Combine("examples"), "--timeout=60s");
        var (code, _, error) = await kubectl.RunAsync("get", "device", "thermo-101", "-n", "building-a");
        Assert.NotEqual(0, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_deployment_status_works_through_the_subresource()
    {
        // `kubectl apply` sends JSON; `kubectl create <kind>` would send protobuf, which the local cluster does not speak.
        var manifest = Path.Combine(dir.Path, "web.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: apps}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: apps}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "nginx:1"}]}
            """);
        await OkAsync("apply", "-f", manifest);
        await OkAsync("patch", "deployment", "web", "-n", "apps", "--subresource=status", "--type=merge", "-p", """{"status":{"readyReplicas":1,"availableReplicas":1}}""");
        var output = await OkAsync("get", "deployment", "web", "-n", "apps", "-o", "jsonpath={.status.availableReplicas}");
        Assert.Equal("1", output);
    }
}
