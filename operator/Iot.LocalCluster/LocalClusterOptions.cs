namespace Iot.LocalCluster;

/// <summary>How to start a <see cref="LocalCluster"/>.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a freshly generated self-signed CA (written into the kubeconfig) instead of HTTP.</summary>
    public bool Https { get; init; }

    /// <summary>Where to write a kubeconfig for kubectl and KubernetesClient; null writes none.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>A directory of CRD manifests to install at start-up.</summary>
    public string? CrdDirectory { get; init; }

    /// <summary>A directory of manifests to create (or replace) at start-up, after the CRDs.</summary>
    public string? ApplyDirectory { get; init; }

    /// <summary>How many watch events are kept for watches that resume from a resourceVersion.</summary>
    public int WatchHistorySize { get; init; } = 10_000;

    /// <summary>How often a watch that allows bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a deleted namespace stays Terminating with its contents before they are deleted, like the real
    /// namespace controller, which works asynchronously. Zero deletes the contents at once.
    /// </summary>
    public TimeSpan NamespaceCleanupDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for timestamps (creation, deletion, conditions) and the namespace clean-up.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
