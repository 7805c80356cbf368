using k8s;
using k8s.Models;

namespace Iot.Api.Common;

/// <summary>The shape every IoT kind shares: apiVersion, kind, metadata, spec and status.</summary>
/// <typeparam name="TSpec">The desired state, written by users.</typeparam>
/// <typeparam name="TStatus">The observed state, written by the platform.</typeparam>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : ResourceStatus
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    public string ApiVersion { get; set; } = IotApi.ApiVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Standard object metadata.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    public TSpec Spec { get; set; } = new();

    /// <summary>The observed state, written by the platform.</summary>
    public TStatus? Status { get; set; }
}
