namespace Iot.Kube;

/// <summary>How a <see cref="LeaderElection"/> competes for its coordination.k8s.io/v1 Lease.</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>The Lease's name.</summary>
    public required string LeaseName { get; init; }

    /// <summary>The Lease's namespace.</summary>
    public required string LeaseNamespace { get; init; }

    /// <summary>This candidate's identity, written as the Lease's holderIdentity; null uses the host name plus a random suffix.</summary>
    public string? Identity { get; init; }

    /// <summary>How long other candidates wait after the last renewal before taking the Lease over (whole seconds, at least 1).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before it gives leadership up; shorter than <see cref="LeaseDuration"/>.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation, the leader empties the Lease's holder so a successor takes over at once instead of after <see cref="LeaseDuration"/>.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
