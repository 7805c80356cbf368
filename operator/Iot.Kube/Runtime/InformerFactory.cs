using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// Shared informers: one cache and one watch per kind, namespace and label selector, however many controllers read or
/// watch that kind (after client-go's SharedInformerFactory). Controllers of one host share a factory; each registers its
/// own handlers.
/// </summary>
public sealed class InformerFactory(IKubernetes client)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(Type Type, string Plural, string? Namespace, string? LabelSelector), object> informers = [];

    /// <summary>The shared informer of <paramref name="resource"/> for <paramref name="options"/>' namespace and selector (created with <paramref name="options"/> the first time).</summary>
    public Informer<T> Get<T>(KubeResource resource, ReflectorOptions options)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(options);
        var key = (typeof(T), resource.Plural, options.Namespace, options.LabelSelector);
        lock (gate)
        {
            if (!informers.TryGetValue(key, out var informer))
            {
                informer = new Informer<T>(new ResourceClient<T>(client, resource), options);
                informers[key] = informer;
            }

            return (Informer<T>)informer;
        }
    }
}
