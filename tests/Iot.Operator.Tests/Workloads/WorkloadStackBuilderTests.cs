using System.Text;

using Iot.Operator.Workloads;

using k8s.Models;

namespace Iot.Operator.Tests.Workloads;

public sealed class WorkloadStackBuilderTests
{
    private static readonly StackSecrets Secrets = new("pw", "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", "token");

    [Theory]
    [InlineData(1, 0, 0, 0, "Broker,Ingest")]
    [InlineData(0, 1, 0, 0, "Broker,Ingest")]
    [InlineData(0, 0, 2, 0, "Analytics")]
    [InlineData(0, 0, 0, 1, "Notify")]
    [InlineData(0, 0, 0, 0, "")]
    [InlineData(5, 2, 1, 1, "Broker,Ingest,Analytics,Notify")]
    public void A_namespace_needs_the_workloads_its_objects_use(int devices, int rules, int rooms, int routes, string expected) =>
        Assert.Equal(expected, string.Join(',', WorkloadStackBuilder.Needed(devices, rules, rooms, routes).Order()));

    [Fact]
    public void Nothing_is_built_for_a_namespace_that_needs_nothing() =>
        Assert.Empty(WorkloadStackBuilder.Build("b", new HashSet<WorkloadComponent>(), [], Secrets, new WorkloadOptions()));

    [Fact]
    public void Each_component_gets_an_account_a_role_a_binding_a_deployment_and_a_service_all_labelled()
    {
        var objects = WorkloadStackBuilder.Build("b", WorkloadStackBuilder.Needed(1, 0, 1, 1), [], Secrets, new WorkloadOptions());

        Assert.Equal(2 + (4 * 5), objects.Count);
        Assert.All(objects, o => Assert.Equal(("iot-operator", "iotoperator", "b"), (o.Metadata.Labels["app.kubernetes.io/managed-by"], o.Metadata.Labels["app.kubernetes.io/part-of"], o.Metadata.NamespaceProperty)));
        Assert.Equal(
            ["iot-analytics", "iot-broker", "iot-ingest", "iot-notify"],
            objects.OfType<V1Deployment>().Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        var internalSecret = objects.OfType<V1Secret>().Single(s => s.Metadata.Name == "iot-internal-credentials");
        Assert.Equal("iot-internal", Encoding.UTF8.GetString(internalSecret.Data["username"]));
    }

    [Fact]
    public void Deployments_run_hardened_with_probes_and_resources()
    {
        var options = new WorkloadOptions { Image = "registry/iot:1", Replicas = new() { ["ingest"] = 3 }, MemoryLimit = "1Gi" };
        var ingest = WorkloadStackBuilder.Build("b", WorkloadStackBuilder.Needed(1, 0, 0, 0), [], Secrets, options).OfType<V1Deployment>().Single(d => d.Metadata.Name == "iot-ingest");

        Assert.Equal(3, ingest.Spec.Replicas);
        var pod = ingest.Spec.Template.Spec;
        Assert.Equal(("iot-ingest", true, "RuntimeDefault"), (pod.ServiceAccountName, pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.SeccompProfile.Type));
        var container = Assert.Single(pod.Containers);
        Assert.Equal(("registry/iot:1", "--component ingest"), (container.Image, string.Join(' ', container.Args)));
        Assert.Equal((true, false), (container.SecurityContext.ReadOnlyRootFilesystem, container.SecurityContext.AllowPrivilegeEscalation));
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal(("/readyz", "/healthz"), (container.ReadinessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Path));
        Assert.Equal("1Gi", container.Resources.Limits["memory"].ToString());
        Assert.Equal(ingest.Spec.Selector.MatchLabels, ingest.Spec.Template.Metadata.Labels.Where(l => ingest.Spec.Selector.MatchLabels.ContainsKey(l.Key)).ToDictionary());
    }

    [Fact]
    public void The_broker_sees_only_the_internal_password_hash_and_the_others_only_the_password()
    {
        var deployments = WorkloadStackBuilder.Build("b", WorkloadStackBuilder.Needed(1, 0, 0, 0), [], Secrets, new WorkloadOptions()).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        static IEnumerable<string> SecretKeys(V1Deployment d) => d.Spec.Template.Spec.Containers[0].Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Key);

        Assert.Contains("password.hash", SecretKeys(deployments["iot-broker"]));
        Assert.DoesNotContain("password", SecretKeys(deployments["iot-broker"]));
        Assert.Contains("password", SecretKeys(deployments["iot-ingest"]));
        Assert.DoesNotContain("password.hash", SecretKeys(deployments["iot-ingest"]));
    }

    [Fact]
    public void With_a_broker_TLS_Secret_only_the_broker_mounts_it_read_only_and_is_told_where()
    {
        var deployments = WorkloadStackBuilder.Build("b", WorkloadStackBuilder.Needed(1, 0, 0, 0), [], Secrets, new WorkloadOptions { BrokerTlsSecret = "broker-tls" }).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        var broker = deployments["iot-broker"].Spec.Template.Spec;

        Assert.Equal("broker-tls", Assert.Single(broker.Volumes, v => v.Secret is not null).Secret.SecretName);
        var mount = Assert.Single(broker.Containers[0].VolumeMounts, m => m.Name == "tls");
        Assert.True(mount.ReadOnlyProperty);
        var env = broker.Containers[0].Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(mount.MountPath + "/tls.crt", env["IOT_Broker__TlsCertificatePath"]);
        Assert.Equal(mount.MountPath + "/tls.key", env["IOT_Broker__TlsKeyPath"]);
        Assert.DoesNotContain(deployments["iot-ingest"].Spec.Template.Spec.Volumes, v => v.Secret is not null);
    }

    [Fact]
    public void Notify_may_read_only_the_Secrets_its_routes_name_and_nobody_gets_wildcards()
    {
        var objects = WorkloadStackBuilder.Build("b", WorkloadStackBuilder.Needed(1, 1, 1, 1), ["slack", "hook"], Secrets, new WorkloadOptions());
        var notify = objects.OfType<V1Role>().Single(r => r.Metadata.Name == "iot-notify");

        var secretRule = Assert.Single(notify.Rules, r => r.Resources.Contains("secrets"));
        Assert.Equal(["get"], secretRule.Verbs);
        Assert.Equal(["hook", "slack"], secretRule.ResourceNames);
        Assert.All(objects.OfType<V1Role>().SelectMany(r => r.Rules), r => Assert.DoesNotContain("*", r.Verbs.Concat(r.Resources).Concat(r.ApiGroups)));
    }
}
