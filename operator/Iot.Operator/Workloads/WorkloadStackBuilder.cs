using System.Globalization;
using System.Text;

using Iot.Api;
using Iot.Api.Common;
using Iot.Api.Devices;

using k8s;
using k8s.Models;

namespace Iot.Operator.Workloads;

/// <summary>The generated secret values of a namespace's stack, kept across reconciles (never regenerated once issued).</summary>
/// <param name="InternalPassword">The workloads' internal MQTT password.</param>
/// <param name="InternalPasswordHash">Its hash, the only part the broker reads.</param>
/// <param name="ApiToken">The bearer token of the analytics and notify APIs.</param>
public sealed record StackSecrets(string InternalPassword, string InternalPasswordHash, string ApiToken)
{
    /// <inheritdoc />
    public override string ToString() => "StackSecrets { *** }";
}

/// <summary>
/// Builds the objects that run a namespace's workloads (DESIGN.md §1) — pure: the same inputs give the same objects.
/// Each component gets a ServiceAccount, a Role with the least access it needs, a RoleBinding, a Deployment (probes,
/// resources, non-root, read-only root filesystem, RuntimeDefault seccomp) and a Service. Workloads receive their
/// settings as environment variables (the <c>IOT_*</c> contract Iot.Workloads reads), secrets through secretKeyRef.
/// </summary>
public static class WorkloadStackBuilder
{
    /// <summary>The label naming the workload component on every object of the stack.</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>The label tying the stack's objects to the product.</summary>
    public const string PartOfLabel = "app.kubernetes.io/part-of";

    /// <summary>The value of <see cref="PartOfLabel"/>.</summary>
    public const string PartOfValue = "iotoperator";

    /// <summary>The label selector of every object the stack consists of.</summary>
    public const string Selector = $"{CredentialsSecret.ManagedByLabel}={CredentialsSecret.ManagedByValue},{PartOfLabel}={PartOfValue}";

    /// <summary>Management port of every workload: /metrics, /healthz, /readyz.</summary>
    public const int MetricsPort = 9090;

    /// <summary>HTTP API port of ingest, analytics and notify.</summary>
    public const int HttpPort = 8080;

    /// <summary>Plain MQTT port of the broker.</summary>
    public const int MqttPort = 1883;

    /// <summary>MQTT over TLS port of the broker.</summary>
    public const int MqttTlsPort = 8883;

    /// <summary>Where the broker finds <see cref="WorkloadOptions.BrokerTlsSecret"/> mounted.</summary>
    public const string BrokerTlsDirectory = "/etc/iot/broker-tls";

    /// <summary>The name of a component's objects: <c>iot-broker</c>, <c>iot-ingest</c>, …</summary>
    public static string NameOf(WorkloadComponent component) => "iot-" + Lower(component);

    /// <summary>The components a namespace needs: Devices or EdgeRules → broker and ingest; Rooms → analytics; AlertRoutes → notify.</summary>
    public static IReadOnlySet<WorkloadComponent> Needed(int devices, int edgeRules, int rooms, int alertRoutes)
    {
        var needed = new HashSet<WorkloadComponent>();
        if (devices + edgeRules > 0)
        {
            needed.Add(WorkloadComponent.Broker);
            needed.Add(WorkloadComponent.Ingest);
        }

        if (rooms > 0)
        {
            needed.Add(WorkloadComponent.Analytics);
        }

        if (alertRoutes > 0)
        {
            needed.Add(WorkloadComponent.Notify);
        }

        return needed;
    }

    /// <summary>
    /// The desired objects of namespace <paramref name="ns"/> running <paramref name="components"/>; notify may read only
    /// the Secrets in <paramref name="notifySecrets"/> (those its AlertRoutes reference). Empty when no component is needed.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(
        string ns,
        IReadOnlySet<WorkloadComponent> components,
        IReadOnlyCollection<string> notifySecrets,
        StackSecrets secrets,
        WorkloadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(notifySecrets);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        if (components.Count == 0)
        {
            return [];
        }

        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            Secret(ns, WorkloadSecrets.InternalCredentials, new()
            {
                ["username"] = WorkloadSecrets.InternalUsername,
                ["password"] = secrets.InternalPassword,
                ["password.hash"] = secrets.InternalPasswordHash,
            }),
            Secret(ns, WorkloadSecrets.ApiToken, new() { [WorkloadSecrets.TokenKey] = secrets.ApiToken }),
        };
        foreach (var component in components.Order())
        {
            objects.Add(ServiceAccount(ns, component));
            objects.Add(Role(ns, component, notifySecrets));
            objects.Add(RoleBinding(ns, component));
            objects.Add(Deployment(ns, component, options));
            objects.Add(Service(ns, component));
        }

        return objects;
    }

    private static string Lower(WorkloadComponent component) => component.ToString().ToLowerInvariant();

    private static V1ObjectMeta Metadata(string ns, string name, WorkloadComponent? component) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = Labels(component),
    };

    private static Dictionary<string, string> Labels(WorkloadComponent? component)
    {
        var labels = new Dictionary<string, string>
        {
            [CredentialsSecret.ManagedByLabel] = CredentialsSecret.ManagedByValue,
            [PartOfLabel] = PartOfValue,
        };
        if (component is { } c)
        {
            labels["app.kubernetes.io/name"] = NameOf(c);
            labels[ComponentLabel] = Lower(c);
        }

        return labels;
    }

    private static V1Secret Secret(string ns, string name, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(ns, name, null),
        Type = "Opaque",
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };

    private static V1ServiceAccount ServiceAccount(string ns, WorkloadComponent component) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Metadata(ns, NameOf(component), component),
    };

    private static V1Role Role(string ns, WorkloadComponent component, IReadOnlyCollection<string> notifySecrets)
    {
        static V1PolicyRule Read(params string[] resources) => new() { ApiGroups = [IotApi.Group], Resources = resources, Verbs = ["get", "list", "watch"] };
        List<V1PolicyRule> rules = component switch
        {
            // Credentials Secrets are named per Device, and RBAC cannot limit list/watch to a label: the broker reads Secrets.
            WorkloadComponent.Broker =>
            [
                Read("devices"),
                new() { ApiGroups = [IotApi.Group], Resources = ["devices/status"], Verbs = ["patch"] },
                new() { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get", "list", "watch"] },
            ],
            WorkloadComponent.Ingest =>
            [
                Read("devices", "edgerules", "rooms"),
                new() { ApiGroups = [IotApi.Group], Resources = ["edgerules/status"], Verbs = ["patch"] },
            ],
            WorkloadComponent.Analytics => [Read("devices", "rooms")],
            WorkloadComponent.Notify => notifySecrets.Count == 0
                ? [Read("alertroutes")]
                : [Read("alertroutes"), new() { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get"], ResourceNames = [.. notifySecrets.Order(StringComparer.Ordinal)] }],
            _ => throw new ArgumentOutOfRangeException(nameof(component)),
        };
        return new V1Role { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = Metadata(ns, NameOf(component), component), Rules = rules };
    }

    private static V1RoleBinding RoleBinding(string ns, WorkloadComponent component) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Metadata(ns, NameOf(component), component),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = NameOf(component) },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = NameOf(component), NamespaceProperty = ns }],
    };

    private static V1Service Service(string ns, WorkloadComponent component) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(ns, NameOf(component), component),
        Spec = new V1ServiceSpec
        {
            Selector = SelectorLabels(component),
            Ports = [.. Ports(component).Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Port, Protocol = "TCP" })],
        },
    };

    private static Dictionary<string, string> SelectorLabels(WorkloadComponent component) => new()
    {
        ["app.kubernetes.io/name"] = NameOf(component),
        [PartOfLabel] = PartOfValue,
    };

    private static IReadOnlyList<(string Name, int Port)> Ports(WorkloadComponent component) => component == WorkloadComponent.Broker
        ? [("mqtt", MqttPort), ("mqtts", MqttTlsPort), ("metrics", MetricsPort)]
        : [("http", HttpPort), ("metrics", MetricsPort)];

    private static V1Deployment Deployment(string ns, WorkloadComponent component, WorkloadOptions options)
    {
        var tlsSecret = component == WorkloadComponent.Broker ? options.BrokerTlsSecret : null;
        var probe = (string path) => new V1Probe { HttpGet = new V1HTTPGetAction { Path = path, Port = MetricsPort }, PeriodSeconds = 10, TimeoutSeconds = 2, FailureThreshold = 3 };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(ns, NameOf(component), component),
            Spec = new V1DeploymentSpec
            {
                Replicas = options.Replicas.TryGetValue(Lower(component), out var replicas) ? replicas : 1,
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels(component) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(component) },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = NameOf(component),
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = 10001,
                            RunAsGroup = 10001,
                            FsGroup = 10001,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Lower(component),
                                Image = options.Image,
                                ImagePullPolicy = options.ImagePullPolicy,
                                Args = ["--component", Lower(component)],
                                Ports = [.. Ports(component).Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })],
                                Env = Environment(ns, component, options),
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(options.CpuRequest), ["memory"] = new(options.MemoryRequest) },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(options.MemoryLimit) },
                                },
                                ReadinessProbe = probe("/readyz"),
                                LivenessProbe = probe("/healthz"),
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                },
                                VolumeMounts = tlsSecret is null
                                    ? [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }]
                                    : [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }, new V1VolumeMount { Name = "tls", MountPath = BrokerTlsDirectory, ReadOnlyProperty = true }],
                            },
                        ],
                        Volumes = tlsSecret is null
                            ? [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }]
                            : [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = tlsSecret } }],
                    },
                },
            },
        };
    }

    private static List<V1EnvVar> Environment(string ns, WorkloadComponent component, WorkloadOptions options)
    {
        static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };
        static V1EnvVar FromSecret(string name, string secret, string key) =>
            new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };

        var env = new List<V1EnvVar>
        {
            Value("IOT_NAMESPACE", ns),
            Value("IOT_MQTT_HOST", $"{NameOf(WorkloadComponent.Broker)}.{ns}.svc"),
            Value("IOT_MQTT_PORT", MqttPort.ToString(CultureInfo.InvariantCulture)),
            Value("IOT_INTERNAL_USERNAME", WorkloadSecrets.InternalUsername),
            component == WorkloadComponent.Broker
                ? FromSecret("IOT_INTERNAL_PASSWORD_HASH", WorkloadSecrets.InternalCredentials, "password.hash")
                : FromSecret("IOT_INTERNAL_PASSWORD", WorkloadSecrets.InternalCredentials, "password"),
        };
        if (component == WorkloadComponent.Broker && options.BrokerTlsSecret is not null)
        {
            // Bound by the broker to its "Broker" settings section (IOT_ prefix, __ between sections).
            env.Add(Value("IOT_Broker__TlsCertificatePath", BrokerTlsDirectory + "/tls.crt"));
            env.Add(Value("IOT_Broker__TlsKeyPath", BrokerTlsDirectory + "/tls.key"));
        }

        if (component is WorkloadComponent.Analytics or WorkloadComponent.Notify or WorkloadComponent.Ingest)
        {
            env.Add(FromSecret("IOT_API_TOKEN", WorkloadSecrets.ApiToken, WorkloadSecrets.TokenKey));
        }

        if (component is WorkloadComponent.Ingest or WorkloadComponent.Analytics && options.InfluxDbUrl is { } influx)
        {
            env.Add(Value("IOT_INFLUXDB_URL", influx));
            if (options.InfluxDbCredentialsSecret is { } credentials)
            {
                env.Add(FromSecret("IOT_INFLUXDB_USERNAME", credentials, "username"));
                env.Add(FromSecret("IOT_INFLUXDB_PASSWORD", credentials, "password"));
            }
        }

        if (component is WorkloadComponent.Notify or WorkloadComponent.Analytics && options.PostgresDsnSecret is { } dsn)
        {
            env.Add(FromSecret("IOT_POSTGRES_DSN", dsn, "dsn"));
        }

        return env;
    }
}
