using k8s.Models;

namespace Iot.Kube.Tests.Status;

public sealed class ConditionsTests
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public void Set_adds_a_condition_stamped_with_the_clock()
    {
        var conditions = new List<V1Condition>();

        Assert.True(Conditions.Set(conditions, "Ready", Conditions.False, "Connecting", "waiting for the broker", 3, time));

        var ready = Assert.Single(conditions);
        Assert.Equal(("Ready", "False", "Connecting", "waiting for the broker", 3L), (ready.Type, ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration!.Value));
        Assert.Equal(time.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
        Assert.Same(ready, Conditions.Get(conditions, "Ready"));
        Assert.Null(Conditions.Get(conditions, "Degraded"));
        Assert.False(Conditions.IsTrue(conditions, "Ready"));
        Assert.True(Conditions.IsFalse(conditions, "Ready"));
    }

    [Fact]
    public void The_transition_time_moves_only_when_the_status_changes()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", false, "Connecting", "waiting", 1, time);
        var added = conditions[0].LastTransitionTime;

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Conditions.Set(conditions, "Ready", false, "StillConnecting", "still waiting", 2, time));
        Assert.Equal(added, conditions[0].LastTransitionTime);
        Assert.Equal(("StillConnecting", "still waiting", 2L), (conditions[0].Reason, conditions[0].Message, conditions[0].ObservedGeneration!.Value));

        Assert.False(Conditions.Set(conditions, "Ready", false, "StillConnecting", "still waiting", 2, time));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Conditions.Set(conditions, "Ready", true, "Connected", "online", 2, time));
        Assert.Equal(added + TimeSpan.FromMinutes(2), conditions[0].LastTransitionTime);
        Assert.True(Conditions.IsTrue(conditions, "Ready"));
        Assert.Single(conditions);
    }

    [Fact]
    public void Transition_times_are_whole_seconds_as_the_API_stores_them()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 750, TimeSpan.Zero));
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", true, "Connected", time: clock);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), conditions[0].LastTransitionTime);
        Assert.Equal(string.Empty, conditions[0].Message);
    }

    [Fact]
    public void Remove_drops_a_condition()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, "Ready", true, "Connected", time: time);
        Conditions.Set(conditions, "Degraded", false, "Healthy", time: time);

        Assert.True(Conditions.Remove(conditions, "Ready"));
        Assert.False(Conditions.Remove(conditions, "Ready"));
        Assert.Equal("Degraded", Assert.Single(conditions).Type);
    }
}
