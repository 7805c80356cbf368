namespace Iot.LocalCluster.Resources;

/// <summary>The built-in kinds the server stores (generically: no kubelet or controllers act on them).</summary>
internal static class BuiltinResources
{
    public static readonly ResourceType Namespace = new("", "v1", "Namespace", "namespaces", "namespace", Namespaced: false, HasStatus: true, HasSpec: true) { ShortNames = ["ns"] };

    public static readonly ResourceType CustomResourceDefinition = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", Namespaced: false, HasStatus: true, HasSpec: true) { ShortNames = ["crd", "crds"] };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespace,
        new("", "v1", "ConfigMap", "configmaps", "configmap", true, false, false) { ShortNames = ["cm"] },
        new("", "v1", "Secret", "secrets", "secret", true, false, false),
        new("", "v1", "Service", "services", "service", true, true, true) { ShortNames = ["svc"], Categories = ["all"] },
        new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, false, false) { ShortNames = ["sa"] },
        new("", "v1", "Event", "events", "event", true, false, false) { ShortNames = ["ev"] },
        new("", "v1", "Pod", "pods", "pod", true, true, true) { ShortNames = ["po"], Categories = ["all"] },
        new("events.k8s.io", "v1", "Event", "events", "event", true, false, false) { ShortNames = ["ev"] },
        new("apps", "v1", "Deployment", "deployments", "deployment", true, true, true) { ShortNames = ["deploy"], Categories = ["all"] },
        new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, true, true) { ShortNames = ["sts"], Categories = ["all"] },
        new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, false, true),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, false, false),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, false, false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, false, false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, false, false),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true, false, true) { ShortNames = ["netpol"] },
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, true, true) { ShortNames = ["pdb"] },
        CustomResourceDefinition,
    ];
}
