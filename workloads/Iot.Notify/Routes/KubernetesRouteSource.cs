using System.Text;

using Iot.Api.AlertRoutes;
using Iot.Kube;

using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;

namespace Iot.Notify.Routes;

/// <summary>
/// The AlertRoutes of one namespace from the Kubernetes API through an <see cref="Informer{T}"/> (list, then watch).
/// Secret values are read with a GET when a delivery needs them, so notify needs only <c>get</c> on Secrets and
/// never caches the namespace's device credentials.
/// </summary>
public sealed partial class KubernetesRouteSource : IRouteSource
{
    /// <summary>Where Secrets live in the API.</summary>
    public static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    private readonly string ns;
    private readonly Informer<AlertRoute> informer;
    private readonly ResourceClient<V1Secret> secrets;

    public KubernetesRouteSource(IKubernetes client, string ns, ILogger<KubernetesRouteSource> logger)
    {
        this.ns = ns;
        informer = new Informer<AlertRoute>(new ResourceClient<AlertRoute>(client, KubeResource.For<AlertRoute>()), new ReflectorOptions
        {
            Namespace = ns,
            Logger = logger,
        });
        informer.AddEventHandler(new ResourceEventHandler<AlertRoute>
        {
            OnAdd = _ => RaiseChanged(),
            OnUpdate = (before, after) =>
            {
                if (before.Metadata.Generation != after.Metadata.Generation)
                {
                    RaiseChanged(); // status-only updates (the operator's) change nothing here
                }
            },
            OnDelete = _ => RaiseChanged(),
        });
        secrets = new ResourceClient<V1Secret>(client, Secrets);
    }

    /// <inheritdoc />
    public event Action? Changed;

    /// <inheritdoc />
    public bool HasSynced => informer.HasSynced;

    /// <inheritdoc />
    public IReadOnlyList<AlertRoute> Routes => informer.List(ns);

    /// <inheritdoc />
    public async ValueTask<string?> GetSecretAsync(string name, string key, CancellationToken cancellationToken)
    {
        var secret = await secrets.GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
        if (secret?.Data?.TryGetValue(key, out var bytes) == true)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return secret?.StringData is { } strings && strings.TryGetValue(key, out var text) ? text : null;
    }

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken) => informer.RunAsync(cancellationToken);

    /// <inheritdoc />
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => informer.WaitForSyncAsync(cancellationToken);

    private void RaiseChanged()
    {
        if (informer.HasSynced)
        {
            Changed?.Invoke();
        }
    }
}
