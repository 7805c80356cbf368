using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Tests.Storage;

/// <summary>One kind of each shape the store treats differently.</summary>
internal static class TestTypes
{
    /// <summary>A namespaced custom resource with spec and a status subresource.</summary>
    public static readonly ResourceType Device = new("iotoperator.io", "v1alpha1", "Device", "devices", "device", Namespaced: true, HasStatus: true, HasSpec: true);

    /// <summary>A namespaced core kind without spec or status subresource.</summary>
    public static readonly ResourceType ConfigMap = new("", "v1", "ConfigMap", "configmaps", "configmap", Namespaced: true, HasStatus: false, HasSpec: false);

    public static readonly ResourceType Namespace = new("", "v1", "Namespace", "namespaces", "namespace", Namespaced: false, HasStatus: true, HasSpec: true);

    /// <summary>A cluster-scoped kind with spec and status.</summary>
    public static readonly ResourceType Node = new("", "v1", "Node", "nodes", "node", Namespaced: false, HasStatus: true, HasSpec: true);

    /// <summary>An RBAC kind, whose names only need to be path segments.</summary>
    public static readonly ResourceType ClusterRole = new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", Namespaced: false, HasStatus: false, HasSpec: false);
}
