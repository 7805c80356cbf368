namespace Iot.Kube.Tests.Runtime;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_key_added_twice_is_handed_out_once()
    {
        using var queue = new WorkQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        Assert.Equal(2, queue.Length);
        Assert.Equal("a", await queue.GetAsync());
        Assert.Equal("b", await queue.GetAsync());
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_key_added_while_processed_is_handed_out_again_only_after_Done()
    {
        using var queue = new WorkQueue();
        queue.Add("a");
        Assert.Equal("a", await queue.GetAsync());
        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Length);

        using var cts = new CancellationTokenSource();
        var second = queue.GetAsync(cts.Token).AsTask();
        Assert.False(second.IsCompleted);

        queue.Done("a");
        Assert.Equal("a", await second.WaitAsync(Timeout));
        queue.Done("a");
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_waiting_worker_gets_a_key_added_later_and_a_cancelled_wait_takes_none()
    {
        using var queue = new WorkQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token).AsTask();
        var waiting = queue.GetAsync().AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        queue.Add("a");
        Assert.Equal("a", await waiting.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ShutDown_releases_waiting_workers_with_null_after_draining()
    {
        using var queue = new WorkQueue();
        var waiting = queue.GetAsync().AsTask();
        queue.ShutDown();
        Assert.Null(await waiting.WaitAsync(Timeout));

        queue.Add("late");
        Assert.Null(await queue.GetAsync());
    }

    [Fact]
    public async Task AddAfter_queues_the_key_when_the_delay_has_passed_and_the_earliest_delay_wins()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue(new WorkQueueOptions { Time = time });
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));
        Assert.Equal(0, queue.Length);
        Assert.Equal(1, queue.DelayedCount);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, queue.Length);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, queue.Length);
        Assert.Equal("a", await queue.GetAsync());
        queue.Done("a");

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, queue.Length);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public void Rate_limited_backoff_doubles_per_key_up_to_the_cap_and_Forget_resets_it()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue(new WorkQueueOptions { Time = time, Burst = 1_000_000 });
        var delays = Enumerable.Range(0, 20).Select(_ => queue.When("a")).ToList();
        Assert.Equal(TimeSpan.FromMilliseconds(5), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(10), delays[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(20), delays[2]);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), delays[10]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[19]);
        Assert.Equal(20, queue.NumRequeues("a"));

        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.When("b"));
        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.When("a"));
    }

    [Fact]
    public void AddRateLimited_queues_after_the_backoff()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue(new WorkQueueOptions { Time = time });
        queue.AddRateLimited("a");
        Assert.Equal(0, queue.Length);
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public void The_token_bucket_limits_rate_limited_adds_across_keys_after_the_burst()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue(new WorkQueueOptions { Time = time, RateLimit = 10, Burst = 100 });
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(5), queue.When($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), queue.When("k100"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), queue.When("k101"));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.When("k102"));
    }
}
