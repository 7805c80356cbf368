using System.Runtime.ExceptionServices;

using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Iot.Kube;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, on KubernetesClient's <see cref="LeaderElector"/> and
/// <see cref="LeaseLock"/>. <see cref="RunAsync"/> competes for the Lease until cancelled, runs the given work while
/// it leads, cancels that work the moment leadership is lost, and then competes again.
/// </summary>
public sealed class LeaderElection
{
    private readonly IKubernetes client;
    private readonly LeaderElectionOptions options;
    private int running;
    private volatile bool isLeader;
    private volatile string? leader;

    /// <summary>Creates a candidate; nothing happens until <see cref="RunAsync"/>.</summary>
    public LeaderElection(IKubernetes client, LeaderElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.LeaseName);
        ArgumentException.ThrowIfNullOrEmpty(options.LeaseNamespace);
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "LeaseDuration must be at least one second.");
        }

        if (options.RenewDeadline <= TimeSpan.Zero || options.RenewDeadline >= options.LeaseDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RenewDeadline must be positive and shorter than LeaseDuration.");
        }

        if (options.RetryPeriod <= TimeSpan.Zero || options.RetryPeriod >= options.RenewDeadline)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RetryPeriod must be positive and shorter than RenewDeadline.");
        }

        this.client = client;
        this.options = options;
        Identity = options.Identity is { Length: > 0 } identity ? identity : DefaultIdentity();
    }

    /// <summary>This candidate's holderIdentity.</summary>
    public string Identity { get; }

    /// <summary>Whether this candidate holds the Lease now.</summary>
    public bool IsLeader => isLeader;

    /// <summary>The holder last observed on the Lease (this candidate or another), or null before the first observation.</summary>
    public string? Leader => leader;

    /// <summary>Raised with true when this candidate starts leading and false when it stops.</summary>
    public event EventHandler<bool>? LeadershipChanged;

    /// <summary>Raised with the holder's identity when a different holder is observed on the Lease.</summary>
    public event EventHandler<string>? LeaderObserved;

    /// <summary>Raised when an attempt to acquire, renew or release the Lease fails; the election carries on.</summary>
    public event EventHandler<Exception>? Error;

    /// <summary>
    /// Competes for the Lease until <paramref name="cancellationToken"/> is cancelled. Each time leadership is
    /// acquired, <paramref name="whileLeading"/> runs with a token that is cancelled as soon as leadership is lost (or
    /// <paramref name="cancellationToken"/> is cancelled); the election waits for it to finish before competing again.
    /// If <paramref name="whileLeading"/> returns by itself, leadership is given up and this method returns; if it
    /// throws, leadership is given up and the exception is rethrown. On cancellation the Lease is released when
    /// <see cref="LeaderElectionOptions.ReleaseOnCancel"/> is set, and the returned task completes normally.
    /// </summary>
    /// <exception cref="InvalidOperationException">The election is already running.</exception>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeading);
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException("This leader election is already running.");
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var term = await RunTermAsync(whileLeading, cancellationToken).ConfigureAwait(false);
                if (term.Led && (cancellationToken.IsCancellationRequested || term.WorkEnded))
                {
                    if (options.ReleaseOnCancel || term.WorkEnded)
                    {
                        await ReleaseAsync().ConfigureAwait(false);
                    }

                    term.WorkFailure?.Throw();
                    return;
                }

                if (!term.Led)
                {
                    // The elector stopped without leading: an error while acquiring. Pause before the next attempt.
                    try
                    {
                        await Task.Delay(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            SetLeader(false);
            Volatile.Write(ref running, 0);
        }
    }

    private async Task<TermOutcome> RunTermAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        // One LeaderElector per term: its renew loop leaves a retrying task behind when leadership is lost, which the
        // term's own token stops, and a fresh elector does not carry the last term's observations.
        using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var leaseLock = new LeaseLock(client, options.LeaseNamespace, options.LeaseName, Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });

        Task? work = null;
        var workEnded = false;
        elector.OnStartedLeading += () =>
        {
            SetLeader(true);
            ObserveLeader(Identity);
            work = Task.Run(
                async () =>
                {
                    try
                    {
                        await whileLeading(leading.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (!leading.IsCancellationRequested)
                        {
                            // The work ended while still leading: end the term.
                            workEnded = true;
                            CancelQuietly(term);
                        }
                    }
                },
                CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            CancelQuietly(leading);
            SetLeader(false);
        };
        elector.OnNewLeader += ObserveLeader;
        elector.OnError += RaiseError;

        try
        {
            await elector.RunUntilLeadershipLostAsync(term.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            RaiseError(e);
        }
        finally
        {
            CancelQuietly(term);
            CancelQuietly(leading);
        }

        if (work is null)
        {
            return new TermOutcome(Led: false, WorkEnded: false, WorkFailure: null);
        }

        ExceptionDispatchInfo? failure = null;
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
            RaiseError(e);
        }

        return new TermOutcome(Led: true, WorkEnded: workEnded, WorkFailure: failure);
    }

    /// <summary>Empties the Lease's holder if this candidate still holds it, so a successor need not wait for it to expire.</summary>
    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.RenewDeadline);
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            // An empty (not absent) holder: LeaderElector treats it as free and acquires it on its next attempt.
            var now = DateTime.UtcNow;
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.AcquireTime = now;
            lease.Spec.RenewTime = now;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            RaiseError(e);
        }
    }

    private void SetLeader(bool value)
    {
        if (isLeader == value)
        {
            return;
        }

        isLeader = value;
        try
        {
            LeadershipChanged?.Invoke(this, value);
        }
        catch (Exception e)
        {
            RaiseError(e);
        }
    }

    private void ObserveLeader(string identity)
    {
        if (string.IsNullOrEmpty(identity) || identity == leader)
        {
            return;
        }

        leader = identity;
        try
        {
            LeaderObserved?.Invoke(this, identity);
        }
        catch (Exception e)
        {
            RaiseError(e);
        }
    }

    private void RaiseError(Exception? exception)
    {
        if (exception is null)
        {
            return;
        }

        try
        {
            Error?.Invoke(this, exception);
        }
        catch (Exception)
        {
            // A failing error handler must not stop the election.
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string DefaultIdentity() => $"{Environment.MachineName}-{Guid.NewGuid():N}"[..^24];

    private readonly record struct TermOutcome(bool Led, bool WorkEnded, ExceptionDispatchInfo? WorkFailure);
}
