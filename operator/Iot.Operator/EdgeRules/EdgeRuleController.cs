using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Api.Validation;
using Iot.Kube;
using Iot.Operator.Common;
using Iot.Operator.Rooms;

using k8s;
using k8s.Models;

namespace Iot.Operator.EdgeRules;

/// <summary>
/// Keeps each EdgeRule's status: conditionKind, matchedDevices (the Devices of its namespace its selector matches),
/// observedGeneration and the Ready condition: False with reason InvalidSpec (the errors of
/// <see cref="ResourceValidator"/>) or InvalidReferences (the errors <see cref="ResourceSetValidator"/> finds against
/// the Devices and Rooms of the namespace, e.g. a field missing from the selected devices' telemetry), else True.
/// Warnings (a selector matching nothing) do not make a rule unready.
/// </summary>
public sealed class EdgeRuleController(IKubernetes client, TimeProvider time) : IReconciler<EdgeRule>
{
    /// <summary>Where EdgeRules live in the API.</summary>
    public static readonly KubeResource EdgeRules = KubeResource.For<EdgeRule>();

    private readonly StatusPatcher patcher = new(client);
    private Informer<Device>? deviceCache;
    private Informer<Room>? roomCache;

    /// <summary>An EdgeRule controller that also watches Devices and Rooms: a change requeues every EdgeRule of their namespace.</summary>
    public static Controller<EdgeRule> Create(IKubernetes client, TimeProvider time, ControllerOptions? options = null)
    {
        var reconciler = new EdgeRuleController(client, time);
        var controller = new Controller<EdgeRule>(client, EdgeRules, reconciler, options ?? new ControllerOptions { Name = "edgerule" });
        IEnumerable<string> RulesOf(V1ObjectMeta metadata) =>
            controller.Informer.List(metadata.NamespaceProperty).Select(ResourceClient<EdgeRule>.KeyOf);
        controller
            .Watches<Device>(RoomController.Devices, d => RulesOf(d.Metadata), predicate: EventPredicates.NotStatusOnly<Device>())
            .Watches<Room>(RoomController.Rooms, r => RulesOf(r.Metadata), predicate: EventPredicates.NotStatusOnly<Room>());

        // Read Devices and Rooms from the watches' caches rather than listing them from the API on every reconcile.
        reconciler.deviceCache = controller.InformerOf<Device>();
        reconciler.roomCache = controller.InformerOf<Room>();
        return controller;
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, EdgeRule? cached, CancellationToken cancellationToken)
    {
        if (cached is null)
        {
            return ReconcileResult.Done;
        }

        var ns = cached.Metadata.NamespaceProperty;
        var generation = cached.Metadata.Generation;
        var status = Copy(cached.Status);
        status.ObservedGeneration = generation;
        status.ConditionKind = cached.Spec.Condition?.KindName;
        status.Conditions ??= [];

        var errors = ResourceValidator.Validate(cached);
        if (errors.Count > 0)
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.False, "InvalidSpec", ResourceConditions.Describe(errors), generation, time);
        }

        // A reconciler used on its own (tests) asks the API.
        var namespaceDevices = (deviceCache ?? throw new InvalidOperationException("The reconciler reads the caches of the controller Create builds")).List(ns);
        status.MatchedDevices = cached.Spec.Selector is { } selector ? namespaceDevices.Count(d => d.Spec is not null && selector.Matches(d)) : 0;
        if (errors.Count == 0)
        {
            var namespaceRooms = roomCache!.List(ns);
            var objects = new List<IKubernetesObject<V1ObjectMeta>> { cached };
            objects.AddRange(namespaceDevices);
            objects.AddRange(namespaceRooms);
            var referenceErrors = ResourceSetValidator.Validate(objects, [])
                .Where(f => ReferenceEquals(f.Object, cached) && !f.IsWarning)
                .Select(f => f.Error)
                .ToList();
            if (referenceErrors.Count > 0)
            {
                ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.False, "InvalidReferences", ResourceConditions.Describe(referenceErrors), generation, time);
            }
            else
            {
                ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.True, "Reconciled", $"{status.MatchedDevices} device(s) matched", generation, time);
            }
        }

        await patcher.PatchAsync(EdgeRules, cached, status, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private static EdgeRuleStatus Copy(EdgeRuleStatus? status) =>
        status is null ? new EdgeRuleStatus() : KubernetesJson.Deserialize<EdgeRuleStatus>(KubernetesJson.Serialize(status));
}
