using System.Reflection;

using k8s.Models;

namespace Iot.Kube;

/// <summary>Where a kind lives in the REST API: group, version, plural, and whether it is namespaced.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, bool Namespaced)
{
    /// <summary>The resource of a KubernetesClient model or IoT kind, from its [KubernetesEntity] attribute.</summary>
    public static KubeResource For<T>(bool namespaced = true)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute");
        return new KubeResource(entity.Group, entity.ApiVersion, entity.PluralName, namespaced);
    }
}
