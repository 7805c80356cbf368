using System.Text.Json;

using Iot.Chart.Tests.Support;
using Iot.Operator;

using Microsoft.Extensions.Configuration;

using YamlDotNet.RepresentationModel;

namespace Iot.Chart.Tests;

public sealed class ChartTests
{
    public static TheoryData<string> Variants => ["defaults", "all-features"];

    private static string[] FilesOf(string variant) => variant == "all-features" ? [HelmChart.AllFeatures] : [];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Helm_lint_strict_passes(string variant)
    {
        List<string> args = ["lint", "--strict", HelmChart.Directory];
        foreach (var file in FilesOf(variant))
        {
            args.AddRange(["--values", file]);
        }

        var lint = await Tool.Helm.RunAsync(args);
        Assert.Contains("0 chart(s) failed", lint.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_rendered_object_parses_and_has_apiVersion_kind_and_name(string variant)
    {
        var objects = await HelmChart.RenderAsync(null, FilesOf(variant));

        Assert.NotEmpty(objects);
        Assert.All(objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Scalar("apiVersion")), $"an object without apiVersion: {o}");
            Assert.False(string.IsNullOrEmpty(o.Kind()), $"an object without kind: {o}");
            Assert.False(string.IsNullOrEmpty(o.Name()), $"a {o.Kind()} without metadata.name");
        });
        var kinds = objects.Select(o => o.Kind()).ToHashSet();
        Assert.Superset(new HashSet<string> { "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service" }, kinds);
        if (variant == "all-features")
        {
            Assert.Superset(new HashSet<string> { "ServiceMonitor", "PrometheusRule", "ConfigMap" }, kinds);
        }
        else
        {
            Assert.DoesNotContain("ServiceMonitor", kinds);
            Assert.DoesNotContain("PrometheusRule", kinds);
        }
    }

    [Fact]
    public void The_charts_CRDs_are_byte_identical_to_crds()
    {
        static Dictionary<string, byte[]> Read(string dir) =>
            Directory.EnumerateFiles(dir, "*.yaml").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        var generated = Read(RepositoryRoot.Combine("crds"));
        var chart = Read(Path.Combine(HelmChart.Directory, "crds"));

        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), chart.Keys.Order(StringComparer.Ordinal));
        Assert.All(generated, f => Assert.True(f.Value.AsSpan().SequenceEqual(chart[f.Key]), $"charts/iot-operator/crds/{f.Key} differs from crds/{f.Key}: run `make crds`"));
    }

    [Fact]
    public async Task The_operator_runs_hardened_with_two_leader_elected_replicas_and_probes_by_default()
    {
        var deployment = (await HelmChart.RenderAsync()).Single("Deployment");
        var pod = deployment.Node("spec", "template", "spec")!;
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Node("containers")!).Children.Single();

        Assert.Equal("2", deployment.Scalar("spec", "replicas"));
        Assert.Equal("true", Env(container)["IOT_Operator__LeaderElection"]);
        Assert.Equal("/healthz", container.Scalar("livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", container.Scalar("readinessProbe", "httpGet", "path"));
        Assert.NotNull(container.Scalar("resources", "requests", "cpu"));
        Assert.NotNull(container.Scalar("resources", "limits", "memory"));
        Assert.Equal("true", pod.Scalar("securityContext", "runAsNonRoot"));
        Assert.Equal("RuntimeDefault", pod.Scalar("securityContext", "seccompProfile", "type"));
        Assert.Equal("true", container.Scalar("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", container.Scalar("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], container.Strings("securityContext", "capabilities", "drop"));
        var tmp = Assert.Single(((YamlSequenceNode)container.Node("volumeMounts")!).Children, m => m.Scalar("mountPath") == "/tmp");
        Assert.Contains(((YamlSequenceNode)pod.Node("volumes")!).Children, v => v.Scalar("name") == tmp.Scalar("name") && v.Node("emptyDir") is not null);
    }

    [Fact]
    public async Task The_operators_environment_binds_to_its_options()
    {
        var deployment = (await HelmChart.RenderAsync(null, HelmChart.AllFeatures)).Single("Deployment");
        var container = ((YamlSequenceNode)deployment.Node("spec", "template", "spec", "containers")!).Children.Single();

        // What the IOT_-prefixed environment configuration provider does: strip the prefix, "__" separates sections.
        var settings = Env(container).ToDictionary(e => e.Key["IOT_".Length..].Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Operator").Get<OperatorOptions>()!;

        Assert.True(options.LeaderElection);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal("building-a", options.Namespace);
        Assert.Equal("mqtt.example.org", options.Devices.BrokerHost);
        Assert.Equal(new Uri("http://influxdb.monitoring.svc:8086"), options.Retention.InfluxDb!.Url);
        Assert.Equal("secretKeyRef influxdb-auth/password", options.Retention.InfluxDb.Password);
        Assert.Equal(TimeSpan.FromDays(30), options.Retention.DefaultRaw);
        Assert.Equal("ghcr.io/iotoperator/iot-workloads:0.1.0", options.Workloads.Image);
        Assert.Equal(3, options.Workloads.Replicas["ingest"]);
        Assert.Equal("http://influxdb.monitoring.svc:8086", options.Workloads.InfluxDbUrl);
        Assert.Equal("influxdb-auth", options.Workloads.InfluxDbCredentialsSecret);
        Assert.Equal("iot-postgres", options.Workloads.PostgresDsnSecret);
        Assert.Equal("iot-broker-tls", options.Workloads.BrokerTlsSecret);
        Assert.Equal("512Mi", options.Workloads.MemoryLimit);
    }

    [Theory]
    [InlineData("unknownValue=1", "Additional property unknownValue is not allowed")]
    [InlineData("workloads.image.pullPolicy=Sometimes", "pullPolicy")]
    [InlineData("leaderElection.enabled=false", "needs replicaCount 1")]
    [InlineData("watchNamespaces={a,b}", "watchNamespaces")]
    public async Task Invalid_values_are_refused_with_the_reason(string value, string reason)
    {
        var result = await HelmChart.TemplateAsync([value], [], mayFail: true);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_PrometheusRule_passes_promtool_and_alerts_on_what_an_SRE_needs()
    {
        var rule = (await HelmChart.RenderAsync(null, HelmChart.AllFeatures)).Single("PrometheusRule");
        var spec = new YamlStream(new YamlDocument(rule.Node("spec")!));
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "rules.yaml");
        await using (var writer = File.CreateText(file))
        {
            spec.Save(writer, assignAnchors: false);
        }

        var check = await Tool.Promtool.RunAsync(["check", "rules", file]);

        Assert.Contains("SUCCESS: 5 rules found", check.Output, StringComparison.Ordinal);
        var alerts = ((YamlSequenceNode)rule.Node("spec", "groups")!).Children
            .SelectMany(g => ((YamlSequenceNode)g.Node("rules")!).Children)
            .ToDictionary(r => r.Scalar("alert")!, r => r.Scalar("expr")!);
        Assert.Equal(["IotIngestRejections", "IotNotifyDeliveryFailures", "IotOperatorDown", "IotOperatorReconcileErrors", "IotOperatorWorkQueueBacklog"], alerts.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("iot_kube_reconcile_errors_total", alerts["IotOperatorReconcileErrors"], StringComparison.Ordinal);
        Assert.Contains("iot_kube_workqueue_depth", alerts["IotOperatorWorkQueueBacklog"], StringComparison.Ordinal);
        Assert.Contains("iot_ingest_messages_total", alerts["IotIngestRejections"], StringComparison.Ordinal);
        Assert.Contains("iot_notify_deliveries_total", alerts["IotNotifyDeliveryFailures"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Grafana_dashboard_is_valid_JSON_whose_panels_query_the_products_metrics()
    {
        var configMap = (await HelmChart.RenderAsync(null, HelmChart.AllFeatures)).Single("ConfigMap");

        using var dashboard = JsonDocument.Parse(configMap.Scalar("data", "iot-operator.json")!);
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        Assert.Equal("1", configMap.Scalar("metadata", "labels", "grafana_dashboard"));
        Assert.Contains(queries, q => q.Contains("iot_kube_reconciles_total", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("iot_notify_deliveries_total", StringComparison.Ordinal));
    }

    /// <summary>A container's environment; secret and field references as "secretKeyRef name/key", "fieldRef path".</summary>
    private static Dictionary<string, string> Env(YamlNode container) =>
        ((YamlSequenceNode)container.Node("env")!).Children.ToDictionary(
            e => e.Scalar("name")!,
            e => e.Scalar("value")
                ?? (e.Node("valueFrom", "secretKeyRef") is { } s ? $"secretKeyRef {s.Scalar("name")}/{s.Scalar("key")}" : null)
                ?? $"fieldRef {e.Scalar("valueFrom", "fieldRef", "fieldPath")}");
}
