using System.Text;

using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Ingest.Rejections;
using Iot.Kube;
using Iot.Rules;

using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Devices;

/// <summary>
/// The namespace's Devices, EdgeRules and Secrets, watched through the Kubernetes API (read-only), feeding the
/// <see cref="DeviceCatalog"/> (schemas, rooms, password hashes) and the <see cref="RuleEngine"/> (rules and devices)
/// from the informers' callbacks. A deleted Device also loses its rejections and last-seen time.
/// </summary>
internal sealed class KubernetesInventory
{
    private static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    private readonly Informer<Device> devices;
    private readonly Informer<EdgeRule> rules;
    private readonly Informer<V1Secret> secrets;

    public KubernetesInventory(IKubernetes client, IOptions<IngestOptions> options, DeviceCatalog catalog, RuleEngine engine, RejectionLog rejections, DeviceLastSeen lastSeen, ILogger<KubernetesInventory> logger)
    {
        var reflector = new ReflectorOptions { Namespace = options.Value.Namespace, Logger = logger };
        devices = new Informer<Device>(new ResourceClient<Device>(client, KubeResource.For<Device>()), reflector);
        rules = new Informer<EdgeRule>(new ResourceClient<EdgeRule>(client, KubeResource.For<EdgeRule>()), reflector);
        secrets = new Informer<V1Secret>(new ResourceClient<V1Secret>(client, Secrets), reflector);
        devices.AddEventHandler(new ResourceEventHandler<Device>
        {
            OnAdd = device =>
            {
                catalog.Set(device);
                engine.UpsertDevice(device);
            },
            OnUpdate = (old, device) =>
            {
                catalog.Set(device);

                // Status changes (the broker's connection reports) do not concern the rules; spec and labels do.
                if (old.Metadata.Generation is null || old.Metadata.Generation != device.Metadata.Generation || !SameLabels(old, device))
                {
                    engine.UpsertDevice(device);
                }
            },
            OnDelete = device =>
            {
                var id = device.Metadata.Name;
                catalog.Remove(id);
                engine.RemoveDevice(id);
                rejections.Forget(id);
                lastSeen.Forget(id);
            },
        });
        rules.AddEventHandler(new ResourceEventHandler<EdgeRule>
        {
            OnAdd = engine.UpsertRule,
            OnUpdate = (old, rule) =>
            {
                if (old.Metadata.Generation is null || old.Metadata.Generation != rule.Metadata.Generation)
                {
                    engine.UpsertRule(rule);
                }
            },
            OnDelete = rule => engine.RemoveRule(rule.Metadata.Name),
        });
        secrets.AddEventHandler(new ResourceEventHandler<V1Secret>
        {
            OnAdd = secret => catalog.SetPasswordHash(secret.Metadata.Name, PasswordHash(secret)),
            OnUpdate = (_, secret) => catalog.SetPasswordHash(secret.Metadata.Name, PasswordHash(secret)),
            OnDelete = secret => catalog.SetPasswordHash(secret.Metadata.Name, null),
        });
    }

    /// <summary>True once Devices, EdgeRules and Secrets have each been listed.</summary>
    public bool HasSynced => devices.HasSynced && rules.HasSynced && secrets.HasSynced;

    /// <summary>Lists and watches until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(devices.RunAsync(cancellationToken), rules.RunAsync(cancellationToken), secrets.RunAsync(cancellationToken));

    /// <summary>Waits until all three are listed.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(devices.WaitForSyncAsync(cancellationToken), rules.WaitForSyncAsync(cancellationToken), secrets.WaitForSyncAsync(cancellationToken));

    private static string? PasswordHash(V1Secret secret) =>
        secret.Data?.TryGetValue(CredentialsSecret.PasswordHashKey, out var hash) == true ? Encoding.UTF8.GetString(hash) : null;

    private static bool SameLabels(Device a, Device b)
    {
        var x = a.Metadata.Labels ?? new Dictionary<string, string>();
        var y = b.Metadata.Labels ?? new Dictionary<string, string>();
        return x.Count == y.Count && x.All(l => y.TryGetValue(l.Key, out var v) && v == l.Value);
    }
}
