using System.Text.Json.Nodes;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

public sealed class ServingTests
{
    [Fact]
    public async Task A_started_cluster_writes_a_kubeconfig_the_client_can_use()
    {
        using var dir = new TempDirectory();
        var kubeconfig = Path.Combine(dir.Path, "nested", "kubeconfig");
        await using var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { KubeconfigPath = kubeconfig });
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var version = await client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
        Assert.Contains("iot-localcluster", version.GitVersion, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", cluster.Url.Host);
    }

    [Fact]
    public async Task Https_serves_with_a_generated_CA_that_the_kubeconfig_trusts()
    {
        using var dir = new TempDirectory();
        var kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        await using var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { KubeconfigPath = kubeconfig, Https = true });
        Assert.Equal("https", cluster.Url.Scheme);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var created = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "secure" } });
        Assert.Equal("Active", created.Status.Phase);
    }

    [Fact]
    public async Task Discovery_lists_builtin_kinds_and_installed_crds()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var core = await client.CoreV1.GetAPIResourcesAsync();
        Assert.Contains(core.Resources, r => r.Name == "namespaces" && !r.Namespaced);
        Assert.Contains(core.Resources, r => r.Name == "configmaps" && r.Namespaced && r.ShortNames.Contains("cm"));
        var groups = await client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "iotoperator.io" && g.PreferredVersion.Version == "v1alpha1");
        Assert.Contains(groups.Groups, g => g.Name == "apps");
        using var http = new HttpClient { BaseAddress = cluster.Url };
        var iot = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/iotoperator.io/v1alpha1", UriKind.Relative)))!;
        var devices = iot["resources"]!.AsArray().Single(r => (string)r!["name"]! == "devices")!;
        Assert.Equal(("Device", true, "iotdev", "iot"), ((string)devices["kind"]!, (bool)devices["namespaced"]!, (string)devices["shortNames"]![0]!, (string)devices["categories"]![0]!));
        Assert.Contains(iot["resources"]!.AsArray(), r => (string)r!["name"]! == "devices/status");
    }

    [Fact]
    public async Task Unknown_paths_answer_404_with_a_Status_body()
    {
        await using var cluster = await LocalCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = cluster.Url };
        var response = await http.GetAsync(new Uri("/apis/nothing.example/v1/things", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("Status", "Failure", "NotFound", 404), ((string)status["kind"]!, (string)status["status"]!, (string)status["reason"]!, (int)status["code"]!));
    }
}
