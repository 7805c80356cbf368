using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Kube;
using Iot.Operator.AlertRoutes;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Operator.Workloads;

/// <summary>
/// Keeps each namespace's workload stack (<see cref="WorkloadStackBuilder"/>) in step with what the namespace needs:
/// creates what is missing, patches what drifted, deletes the components nothing needs any more. Reconciles per
/// namespace; reads only caches, and writes nothing when the stack is as desired.
/// </summary>
public sealed class WorkloadStackController : IReconciler<V1Namespace>
{
    private readonly WorkloadOptions options;
    private readonly Caches caches;
    private readonly IKubernetes client;

    private WorkloadStackController(IKubernetes client, WorkloadOptions options, Caches caches)
    {
        this.client = client;
        this.options = options;
        this.caches = caches;
    }

    /// <summary>The workload stack controller; <paramref name="onlyNamespace"/> limits it to one namespace.</summary>
    public static Controller<V1Namespace> Create(IKubernetes client, WorkloadOptions options, string? onlyNamespace, ControllerOptions? controllerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var settings = controllerOptions ?? new ControllerOptions { Name = "workloads" };
        var informers = settings.Informers ?? new InformerFactory(client);
        settings = settings with { Informers = informers };
        var scoped = settings.Informer;
        var owned = scoped with { LabelSelector = WorkloadStackBuilder.Selector };
        var caches = new Caches(
            informers.Get<Device>(KubeResource.For<Device>(), scoped),
            informers.Get<EdgeRule>(KubeResource.For<EdgeRule>(), scoped),
            informers.Get<Room>(KubeResource.For<Room>(), scoped),
            informers.Get<AlertRoute>(KubeResource.For<AlertRoute>(), scoped),
            informers.Get<V1Secret>(AlertRouteController.Secrets, scoped),
            informers.Get<V1ServiceAccount>(KubeResource.For<V1ServiceAccount>(), owned),
            informers.Get<V1Role>(KubeResource.For<V1Role>(), owned),
            informers.Get<V1RoleBinding>(KubeResource.For<V1RoleBinding>(), owned),
            informers.Get<V1Deployment>(KubeResource.For<V1Deployment>(), owned),
            informers.Get<V1Service>(KubeResource.For<V1Service>(), owned));
        var controller = new Controller<V1Namespace>(
            client,
            KubeResource.For<V1Namespace>(namespaced: false),
            new WorkloadStackController(client, options, caches),
            settings with { Informer = new ReflectorOptions { Logger = scoped.Logger } });
        if (onlyNamespace is not null)
        {
            controller.WithEventFilter(new EventPredicate<V1Namespace>
            {
                Create = n => n.Metadata.Name == onlyNamespace,
                Update = (_, n) => n.Metadata.Name == onlyNamespace,
                Delete = n => n.Metadata.Name == onlyNamespace,
            });
        }

        // Which components a namespace needs changes only when objects appear or disappear (AlertRoutes: also which Secrets they name).
        controller.Watches<Device>(KubeResource.For<Device>(), NamespaceOf, scoped, new EventPredicate<Device> { Update = static (_, _) => false })
            .Watches<EdgeRule>(KubeResource.For<EdgeRule>(), NamespaceOf, scoped, new EventPredicate<EdgeRule> { Update = static (_, _) => false })
            .Watches<Room>(KubeResource.For<Room>(), NamespaceOf, scoped, new EventPredicate<Room> { Update = static (_, _) => false })
            .Watches<AlertRoute>(KubeResource.For<AlertRoute>(), NamespaceOf, scoped, EventPredicates.NotStatusOnly<AlertRoute>())
            .Watches<V1Secret>(AlertRouteController.Secrets, s => s.Metadata.Name is WorkloadSecrets.InternalCredentials or WorkloadSecrets.ApiToken ? NamespaceOf(s) : [], scoped)
            .Watches<V1ServiceAccount>(KubeResource.For<V1ServiceAccount>(), NamespaceOf, owned)
            .Watches<V1Role>(KubeResource.For<V1Role>(), NamespaceOf, owned)
            .Watches<V1RoleBinding>(KubeResource.For<V1RoleBinding>(), NamespaceOf, owned)
            .Watches<V1Deployment>(KubeResource.For<V1Deployment>(), NamespaceOf, owned, EventPredicates.GenerationChanged<V1Deployment>())
            .Watches<V1Service>(KubeResource.For<V1Service>(), NamespaceOf, owned);
        return controller;
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, V1Namespace? cached, CancellationToken cancellationToken)
    {
        if (cached is null || cached.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done; // the namespace's deletion removes the stack with it
        }

        var ns = cached.Metadata.Name;
        var needed = WorkloadStackBuilder.Needed(caches.Devices.CountWhere(ns, _ => true), caches.EdgeRules.CountWhere(ns, _ => true), caches.Rooms.CountWhere(ns, _ => true), caches.AlertRoutes.CountWhere(ns, _ => true));
        var notifySecrets = caches.AlertRoutes.List(ns).SelectMany(AlertRouteController.References).Select(r => r.Secret).ToHashSet(StringComparer.Ordinal);
        var desired = WorkloadStackBuilder.Build(ns, needed, notifySecrets, SecretsOf(ns), options);

        foreach (var obj in desired)
        {
            switch (obj)
            {
                case V1Secret secret:
                    await ApplyAsync(secret, caches.Secrets, cancellationToken).ConfigureAwait(false);
                    break;
                case V1ServiceAccount account:
                    await ApplyAsync(account, caches.ServiceAccounts, cancellationToken).ConfigureAwait(false);
                    break;
                case V1Role role:
                    await ApplyAsync(role, caches.Roles, cancellationToken).ConfigureAwait(false);
                    break;
                case V1RoleBinding binding:
                    await ApplyAsync(binding, caches.RoleBindings, cancellationToken).ConfigureAwait(false);
                    break;
                case V1Deployment deployment:
                    await ApplyAsync(deployment, caches.Deployments, cancellationToken).ConfigureAwait(false);
                    break;
                case V1Service service:
                    await ApplyAsync(service, caches.Services, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        var keep = desired.Select(o => (o.Kind, o.Metadata.Name)).ToHashSet();
        await PruneAsync(caches.Deployments, ns, keep, cancellationToken).ConfigureAwait(false);
        await PruneAsync(caches.Services, ns, keep, cancellationToken).ConfigureAwait(false);
        await PruneAsync(caches.RoleBindings, ns, keep, cancellationToken).ConfigureAwait(false);
        await PruneAsync(caches.Roles, ns, keep, cancellationToken).ConfigureAwait(false);
        await PruneAsync(caches.ServiceAccounts, ns, keep, cancellationToken).ConfigureAwait(false);
        if (needed.Count == 0)
        {
            foreach (var name in new[] { WorkloadSecrets.InternalCredentials, WorkloadSecrets.ApiToken })
            {
                if (caches.Secrets.Get(ns, name) is { } secret && IsManaged(secret))
                {
                    await new ResourceClient<V1Secret>(client, AlertRouteController.Secrets).DeleteAsync(name, ns, secret.Metadata.Uid, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return ReconcileResult.Done;
    }

    /// <summary>Whether <paramref name="actual"/> already holds every field of <paramref name="desired"/> (what the server added besides is fine).</summary>
    internal static bool Contains(JsonNode? actual, JsonNode? desired) => (actual, desired) switch
    {
        (_, null) => true,
        (JsonObject a, JsonObject d) => d.All(p => a.TryGetPropertyValue(p.Key, out var v) && Contains(v, p.Value)),
        (JsonArray a, JsonArray d) => a.Count == d.Count && a.Zip(d).All(p => Contains(p.First, p.Second)),
        (JsonValue a, JsonValue d) => JsonNode.DeepEquals(a, d) || a.ToString() == d.ToString(),
        _ => false,
    };

    private static IEnumerable<string> NamespaceOf(IKubernetesObject<V1ObjectMeta> obj) => [obj.Metadata.NamespaceProperty];

    private static bool IsManaged(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.Labels?.TryGetValue(CredentialsSecret.ManagedByLabel, out var by) == true && by == CredentialsSecret.ManagedByValue;

    private StackSecrets SecretsOf(string ns)
    {
        static string? Read(V1Secret? secret, string key) =>
            secret?.Data?.TryGetValue(key, out var value) == true ? Encoding.UTF8.GetString(value) : null;

        var internalSecret = caches.Secrets.Get(ns, WorkloadSecrets.InternalCredentials);
        var password = Read(internalSecret, "password");
        var hash = Read(internalSecret, "password.hash");
        if (password is null || hash is null || !DeviceCredentials.Verify(password, hash))
        {
            password = DeviceCredentials.GeneratePassword();
            hash = DeviceCredentials.Hash(password);
        }

        var token = Read(caches.Secrets.Get(ns, WorkloadSecrets.ApiToken), WorkloadSecrets.TokenKey) ?? RandomNumberGenerator.GetHexString(48, lowercase: true);
        return new StackSecrets(password, hash, token);
    }

    private async Task ApplyAsync<T>(T desired, Informer<T> cache, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resources = new ResourceClient<T>(client, KubeResource.For<T>());
        var current = cache.Get(desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        if (current is null)
        {
            try
            {
                await resources.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The cache has not shown it yet; its watch event reconciles the namespace again.
            }

            return;
        }

        var desiredJson = JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        if (Contains(JsonNode.Parse(KubernetesJson.Serialize(current)), desiredJson))
        {
            return;
        }

        // A generated secret value found invalid is replaced; anything else that drifted is put back.
        desiredJson.Remove("status");
        await resources.MergePatchAsync(desired.Metadata.Name, desired.Metadata.NamespaceProperty, desiredJson.ToJsonString(), cancellationToken).ConfigureAwait(false);
    }

    private async Task PruneAsync<T>(Informer<T> cache, string ns, HashSet<(string Kind, string Name)> keep, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resources = new ResourceClient<T>(client, KubeResource.For<T>());
        foreach (var obj in cache.List(ns).Where(o => IsManaged(o) && !keep.Contains((typeof(T).Name[2..], o.Metadata.Name))))
        {
            await resources.DeleteAsync(obj.Metadata.Name, ns, obj.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Caches(
        Informer<Device> Devices,
        Informer<EdgeRule> EdgeRules,
        Informer<Room> Rooms,
        Informer<AlertRoute> AlertRoutes,
        Informer<V1Secret> Secrets,
        Informer<V1ServiceAccount> ServiceAccounts,
        Informer<V1Role> Roles,
        Informer<V1RoleBinding> RoleBindings,
        Informer<V1Deployment> Deployments,
        Informer<V1Service> Services);
}
