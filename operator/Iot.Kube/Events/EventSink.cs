using System.Globalization;
using System.Net;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Kube;

/// <summary>Where an <see cref="EventRecorder"/> writes: the API server, or a stand-in in tests.</summary>
internal interface IEventSink
{
    Task CreateAsync(Corev1Event @event, CancellationToken cancellationToken);

    /// <summary>Bumps an existing Event; false when it no longer exists.</summary>
    Task<bool> UpdateCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken);
}

/// <summary>Writes core/v1 Events with KubernetesClient.</summary>
internal sealed class KubernetesEventSink(IKubernetes client) : IEventSink
{
    public Task CreateAsync(Corev1Event @event, CancellationToken cancellationToken) =>
        client.CoreV1.CreateNamespacedEventAsync(@event, @event.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public async Task<bool> UpdateCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken)
    {
        var timestamp = lastTimestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new V1Patch($$"""{"count":{{count}},"lastTimestamp":"{{timestamp}}"}""", V1Patch.PatchType.MergePatch);
        try
        {
            await client.CoreV1.PatchNamespacedEventAsync(patch, name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
