using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Api.Validation;
using Iot.Kube;
using Iot.Operator.Common;

using k8s;
using k8s.Models;

namespace Iot.Operator.AlertRoutes;

/// <summary>
/// Keeps each AlertRoute's status: readyReceivers (receivers whose referenced Secrets and keys all exist),
/// observedGeneration, ReceiversResolved (False with reason SecretNotFound or KeyNotFound naming the receiver field,
/// Secret and key while a reference is missing; True when all exist) and Ready (False with reason InvalidSpec for the
/// errors of <see cref="ResourceValidator"/>, else following ReceiversResolved).
/// </summary>
public sealed class AlertRouteController(IKubernetes client, TimeProvider time) : IReconciler<AlertRoute>
{
    /// <summary>The condition saying whether every referenced Secret and key exists.</summary>
    public const string ReceiversResolved = "ReceiversResolved";

    /// <summary>Where AlertRoutes live in the API.</summary>
    public static readonly KubeResource AlertRoutes = KubeResource.For<AlertRoute>();

    /// <summary>Where Secrets live in the API.</summary>
    public static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    private readonly StatusPatcher patcher = new(client);
    private Informer<V1Secret>? secretCache;

    /// <summary>An AlertRoute controller that also watches Secrets: a change requeues the AlertRoutes of its namespace referencing it.</summary>
    public static Controller<AlertRoute> Create(IKubernetes client, TimeProvider time, ControllerOptions? options = null)
    {
        var reconciler = new AlertRouteController(client, time);
        var controller = new Controller<AlertRoute>(client, AlertRoutes, reconciler, options ?? new ControllerOptions { Name = "alertroute" });
        controller.Watches<V1Secret>(Secrets, secret => controller.Informer.List(secret.Metadata.NamespaceProperty)
            .Where(route => References(route).Any(r => r.Secret == secret.Metadata.Name))
            .Select(ResourceClient<AlertRoute>.KeyOf));
        reconciler.secretCache = controller.InformerOf<V1Secret>();
        return controller;
    }

    /// <summary>One Secret reference of a receiver: the field naming it, the Secret and the keys it must hold.</summary>
    internal sealed record SecretRef(int Receiver, string Path, string Secret, IReadOnlyList<string> Keys);

    /// <summary>The Secret references of <paramref name="route"/>'s receivers.</summary>
    internal static IEnumerable<SecretRef> References(AlertRoute route)
    {
        var receivers = route.Spec?.Receivers ?? [];
        for (var i = 0; i < receivers.Count; i++)
        {
            var path = $"spec.receivers[{i}]";
            if (receivers[i].Webhook?.TokenSecretRef is { } token)
            {
                yield return new SecretRef(i, path + ".webhook.tokenSecretRef", token.Name, [token.Key]);
            }

            if (receivers[i].Slack?.UrlSecretRef is { } url)
            {
                yield return new SecretRef(i, path + ".slack.urlSecretRef", url.Name, [url.Key]);
            }

            if (receivers[i].Email?.AuthSecretRef is { } auth)
            {
                yield return new SecretRef(i, path + ".email.authSecretRef", auth.Name, ["username", "password"]);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, AlertRoute? cached, CancellationToken cancellationToken)
    {
        if (cached is null)
        {
            return ReconcileResult.Done;
        }

        var ns = cached.Metadata.NamespaceProperty;
        var generation = cached.Metadata.Generation;
        var references = References(cached).ToList();
        var found = new Dictionary<string, V1Secret?>(StringComparer.Ordinal);
        foreach (var name in references.Select(r => r.Secret).Distinct(StringComparer.Ordinal))
        {
            found[name] = (secretCache ?? throw new InvalidOperationException("The reconciler reads the Secret cache of the controller Create builds")).Get(ns, name);
        }

        var notFound = new List<string>();
        var keysNotFound = new List<string>();
        var unresolved = new HashSet<int>();
        foreach (var reference in references)
        {
            if (found[reference.Secret] is not { } secret)
            {
                notFound.Add($"{reference.Path}: Secret \"{reference.Secret}\" not found in namespace {ns}");
                unresolved.Add(reference.Receiver);
                continue;
            }

            var present = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).ToHashSet(StringComparer.Ordinal);
            var missing = reference.Keys.Where(k => !present.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                keysNotFound.Add($"{reference.Path}: Secret \"{reference.Secret}\" has no key(s) {string.Join(", ", missing)}");
                unresolved.Add(reference.Receiver);
            }
        }

        var status = Copy(cached.Status);
        status.ObservedGeneration = generation;
        status.ReadyReceivers = (cached.Spec?.Receivers?.Count ?? 0) - unresolved.Count;
        status.Conditions ??= [];
        var (resolved, reason, message) = (notFound.Count, keysNotFound.Count) switch
        {
            (0, 0) => (true, "Resolved", references.Count == 0 ? "no receiver references a Secret" : $"{references.Count} Secret reference(s) resolved"),
            ( > 0, _) => (false, "SecretNotFound", string.Join("; ", notFound.Concat(keysNotFound))),
            _ => (false, "KeyNotFound", string.Join("; ", keysNotFound)),
        };
        ResourceConditions.Set(status.Conditions, ReceiversResolved, resolved ? ConditionStatus.True : ConditionStatus.False, reason, message, generation, time);

        var errors = ResourceValidator.Validate(cached);
        if (errors.Count > 0)
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.False, "InvalidSpec", ResourceConditions.Describe(errors), generation, time);
        }
        else if (!resolved)
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.False, reason, message, generation, time);
        }
        else
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.True, "Reconciled", $"{status.ReadyReceivers} receiver(s) ready", generation, time);
        }

        await patcher.PatchAsync(AlertRoutes, cached, status, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private static AlertRouteStatus Copy(AlertRouteStatus? status) =>
        status is null ? new AlertRouteStatus() : KubernetesJson.Deserialize<AlertRouteStatus>(KubernetesJson.Serialize(status));
}
