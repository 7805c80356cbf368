using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Kube.Tests.Leadership;

public sealed class LeaderElectionTests
{
    private const string Lease = "iot-operator";

    private static LeaderElectionOptions Options(string identity, bool releaseOnCancel = true) => new()
    {
        LeaseName = Lease,
        LeaseNamespace = "leader",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        ReleaseOnCancel = releaseOnCancel,
    };

    [Fact]
    public async Task Of_two_candidates_on_one_lease_exactly_one_leads()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        await Poll.CreateNamespaceAsync(client, "leader");
        var a = new LeaderElection(client, Options("a"));
        var b = new LeaderElection(client, Options("b"));
        var leading = 0;
        var mostAtOnce = 0;
        async Task Work(CancellationToken token)
        {
            var now = Interlocked.Increment(ref leading);
            InterlockedMax(ref mostAtOnce, now);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                Interlocked.Decrement(ref leading);
            }
        }

        using var stop = new CancellationTokenSource();
        var runA = a.RunAsync(Work, stop.Token);
        var runB = b.RunAsync(Work, stop.Token);

        await Poll.UntilAsync(() => a.IsLeader || b.IsLeader, "one candidate leads");
        var (leader, follower) = a.IsLeader ? (a, b) : (b, a);
        await Poll.UntilAsync(() => follower.Leader == leader.Identity, "the follower observes the leader");
        await Poll.UntilAsync(() => Volatile.Read(ref leading) == 1, "the leader's work runs");

        Assert.True(leader.IsLeader);
        Assert.False(follower.IsLeader);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(Lease, "leader");
        Assert.Equal(leader.Identity, lease.Spec.HolderIdentity);

        await stop.CancelAsync();
        await Task.WhenAll(runA, runB);
        Assert.Equal(1, mostAtOnce);
        Assert.False(a.IsLeader || b.IsLeader);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_leader_stops_the_other_candidate_takes_over(bool releaseOnCancel)
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        await Poll.CreateNamespaceAsync(client, "leader");
        var first = new LeaderElection(client, Options("first", releaseOnCancel));
        var second = new LeaderElection(client, Options("second", releaseOnCancel));
        var changes = new List<bool>();
        second.LeadershipChanged += (_, isLeader) =>
        {
            lock (changes)
            {
                changes.Add(isLeader);
            }
        };

        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runFirst = first.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopFirst.Token);
        await Poll.UntilAsync(() => first.IsLeader, "the first candidate leads");
        var runSecond = second.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopSecond.Token);
        await Poll.UntilAsync(() => second.Leader == "first", "the second candidate observes the first");

        await stopFirst.CancelAsync();
        await runFirst;
        Assert.False(first.IsLeader);

        // Released, the second candidate takes it at its next retry; not released, once the lease has expired.
        var left = await client.CoordinationV1.ReadNamespacedLeaseAsync(Lease, "leader");
        if (releaseOnCancel)
        {
            Assert.NotEqual("first", left.Spec.HolderIdentity);
        }
        else
        {
            Assert.Equal("first", left.Spec.HolderIdentity);
        }

        await Poll.UntilAsync(() => second.IsLeader, "the second candidate takes over");
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(Lease, "leader");
        Assert.Equal("second", lease.Spec.HolderIdentity);
        lock (changes)
        {
            Assert.Equal([true], changes);
        }

        await stopSecond.CancelAsync();
        await runSecond;
    }

    [Fact]
    public async Task A_leader_whose_lease_is_taken_away_has_its_work_cancelled()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        await Poll.CreateNamespaceAsync(client, "leader");
        var election = new LeaderElection(client, Options("victim"));
        var workCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var terms = 0;

        using var stop = new CancellationTokenSource();
        var run = election.RunAsync(
            async token =>
            {
                if (Interlocked.Increment(ref terms) > 1)
                {
                    await Task.Delay(Timeout.Infinite, token);
                    return;
                }

                using var registration = token.Register(() => workCancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, token);
            },
            stop.Token);
        await Poll.UntilAsync(() => election.IsLeader, "the candidate leads");

        // Another holder writes itself into the Lease; the victim's renewals now fail.
        await Poll.UntilAsync(
            async () =>
            {
                var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(Lease, "leader");
                lease.Spec.HolderIdentity = "intruder";
                lease.Spec.RenewTime = DateTime.UtcNow;
                try
                {
                    await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, Lease, "leader");
                    return true;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    return false;
                }
            },
            "the lease is taken over");

        await workCancelled.Task.WaitAsync(Poll.Timeout);
        Assert.Equal(1, Volatile.Read(ref terms));

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Work_that_ends_by_itself_gives_leadership_up_and_a_failure_is_rethrown()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        await Poll.CreateNamespaceAsync(client, "leader");

        await new LeaderElection(client, Options("done")).RunAsync(_ => Task.CompletedTask, CancellationToken.None).WaitAsync(Poll.Timeout);
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(Lease, "leader");
        Assert.Equal(string.Empty, lease.Spec.HolderIdentity ?? string.Empty);

        var failing = new LeaderElection(client, Options("failing"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => failing.RunAsync(_ => throw new InvalidOperationException("boom"), CancellationToken.None).WaitAsync(Poll.Timeout));
        Assert.Equal("boom", error.Message);
        Assert.False(failing.IsLeader);
    }

    [Fact]
    public void Without_an_identity_the_host_name_and_a_random_suffix_are_used()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var options = new LeaderElectionOptions { LeaseName = Lease, LeaseNamespace = "leader" };
        var one = new LeaderElection(client, options);
        var two = new LeaderElection(client, options);
        Assert.StartsWith(Environment.MachineName + "-", one.Identity, StringComparison.Ordinal);
        Assert.NotEqual(one.Identity, two.Identity);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
