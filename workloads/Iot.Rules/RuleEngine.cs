using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Rules.Actions;
using Iot.Rules.Engine;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules;

/// <summary>
/// Evaluates EdgeRules on device telemetry and turns firings into actions (alerts, device commands, publications)
/// handed to an <see cref="IRuleActionSink"/>. A pure library: ingest feeds it rules, devices, messages and ticks, and
/// maps its actions to MQTT.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> <see cref="Process(in TelemetryMessage)"/>, <see cref="Tick"/> and
/// <see cref="ApplyPendingChanges"/> must be called from one thread at a time (the engine's; typically one consumer
/// loop per engine). The rule and device methods (<see cref="ApplyRules"/>, <see cref="UpsertRule"/>,
/// <see cref="RemoveRule"/>, <see cref="ApplyDevices"/>, <see cref="UpsertDevice"/>, <see cref="RemoveDevice"/>) may be
/// called from any thread, e.g. informer callbacks: they compile on the caller's thread and queue the change, which
/// the engine applies atomically before its next message or tick. <see cref="Statistics"/> may be read from any
/// thread. To use more cores, run several engines (partitions), each with the devices of one hash range
/// (<see cref="RuleEngineOptions.OwnsDevice"/>) and its own consumer; give every engine every rule and device.</para>
/// <para><b>Time.</b> All time comes from the <see cref="TimeProvider"/>. Windows, rates of change and anomaly history
/// run on message timestamps (event time), so a backlog replays correctly; hold times, cooldowns, absence and alert
/// times run on processing time, so that a device's silence or a held condition is noticed by
/// <see cref="Tick"/> even when no message comes. Call <see cref="Tick"/> at least every second, or at
/// <see cref="NextDueAt"/>.</para>
/// <para><b>Index.</b> Each device holds the rules that select it with their state for it, so a message touches only
/// its own rules. A rule whose spec did not change keeps all its state across updates; a changed rule starts its
/// conditions afresh (a firing alert carries over); a removed rule or device resolves its firing alerts.</para>
/// </remarks>
public sealed class RuleEngine : IDisposable
{
    private const int LatencySampleMask = 63;

    private readonly TimeProvider _time;
    private readonly RuleEngineOptions _options;
    private readonly RuleRuntime _runtime;
    private readonly RuleMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly Histogram<double> _latency;
    private readonly RuleIndex _index;
    private readonly ConcurrentDictionary<string, RuleCounters> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Action<long>> _pending = new();
    private volatile bool _hasPending;
    private long _processed;

    /// <summary>Creates an engine with no rules and no devices.</summary>
    /// <param name="sink">Where actions go.</param>
    /// <param name="timeProvider">The clock (processing time).</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="metrics">The shared instruments of all engines in the process; the engine makes its own when null.</param>
    public RuleEngine(IRuleActionSink sink, TimeProvider timeProvider, RuleEngineOptions? options = null, RuleMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _options = options ?? new RuleEngineOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.WindowGrace, TimeSpan.Zero, nameof(options));
        _runtime = new RuleRuntime(sink);
        _ownsMetrics = metrics is null;
        _metrics = metrics ?? new RuleMetrics();
        _latency = _metrics.Latency;
        _index = new RuleIndex(_runtime, CountersFor);
    }

    /// <summary>How many rules the engine runs (once queued changes are applied). Engine thread only.</summary>
    public int RuleCount => _index.RuleCount;

    /// <summary>How many devices the engine knows (once queued changes are applied). Engine thread only.</summary>
    public int DeviceCount => _runtime.Devices.Count;

    /// <summary>Messages from devices the engine has not been given; they are ignored. Engine thread only.</summary>
    public long UnknownDeviceMessages { get; private set; }

    /// <summary>The earliest time <see cref="Tick"/> has work, or null when no timer is pending. Engine thread only.</summary>
    public DateTimeOffset? NextDueAt => _runtime.Timers.NextDue is { } due ? new DateTimeOffset(due, TimeSpan.Zero) : null;

    /// <summary>
    /// Replaces the whole rule set, e.g. with an informer's list after its initial sync (one batch, rebound device by
    /// device, which keeps each device's state together in memory). Rules whose spec is unchanged keep their state.
    /// </summary>
    public void ApplyRules(IEnumerable<EdgeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = rules.Select(CompileOrExplain).ToList();
        var names = compiled.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        Enqueue(_ =>
        {
            foreach (var name in _index.RulesOtherThan(names))
            {
                _index.RemoveRule(name);
            }

            foreach (var (name, rule, problem) in compiled)
            {
                SetRule(name, rule, problem);
            }
        });
    }

    /// <summary>Adds or updates one rule (an informer's add or update).</summary>
    public void UpsertRule(EdgeRule rule)
    {
        var (name, compiled, problem) = CompileOrExplain(rule);
        Enqueue(_ => SetRule(name, compiled, problem));
    }

    /// <summary>Removes a rule; its firing alerts resolve.</summary>
    public void RemoveRule(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Enqueue(_ => _index.RemoveRule(name));
    }

    /// <summary>Replaces the whole device set. Devices that stay keep their state.</summary>
    public void ApplyDevices(IEnumerable<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var infos = devices.Select(DeviceInfo.From).ToList();
        var ids = infos.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var given = _time.GetUtcNow().UtcTicks;
        Enqueue(now =>
        {
            foreach (var id in _runtime.Devices.Keys.Where(id => !ids.Contains(id)).ToList())
            {
                _index.RemoveDevice(id, now);
            }

            foreach (var info in infos)
            {
                _index.SetDevice(info, given, Owns(info.Id));
            }
        });
    }

    /// <summary>Adds or updates one device. A new device counts as heard from now, for absence rules.</summary>
    public void UpsertDevice(Device device)
    {
        var info = DeviceInfo.From(device);
        var given = _time.GetUtcNow().UtcTicks;
        Enqueue(_ => _index.SetDevice(info, given, Owns(info.Id)));
    }

    /// <summary>Removes a device; its firing alerts resolve.</summary>
    public void RemoveDevice(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Enqueue(now => _index.RemoveDevice(id, now));
    }

    /// <summary>Evaluates the rules of the message's device. Engine thread only.</summary>
    public void Process(in TelemetryMessage message)
    {
        if (_hasPending)
        {
            ApplyPendingChanges();
        }

        Evaluate(message, _time.GetUtcNow().UtcTicks);
    }

    /// <summary>Evaluates a batch of messages, in order, reading the clock once. Engine thread only.</summary>
    public void Process(ReadOnlySpan<TelemetryMessage> messages)
    {
        if (_hasPending)
        {
            ApplyPendingChanges();
        }

        var now = _time.GetUtcNow().UtcTicks;
        foreach (ref readonly var message in messages)
        {
            Evaluate(message, now);
        }
    }

    /// <summary>Runs what is due by now: hold times, cooldowns, absence, windows of silent devices. Engine thread only.</summary>
    public void Tick()
    {
        ApplyPendingChanges();
        _runtime.Timers.RunDue(_time.GetUtcNow().UtcTicks, _runtime);
    }

    /// <summary>Applies queued rule and device changes now rather than before the next message. Engine thread only.</summary>
    public void ApplyPendingChanges()
    {
        _hasPending = false;
        if (_pending.IsEmpty)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcTicks;
        while (_pending.TryDequeue(out var change))
        {
            change(now);
        }

        _index.Rebind(now);
    }

    /// <summary>
    /// Runs the engine's thread as a loop: takes messages from <paramref name="messages"/> in batches and ticks every
    /// <paramref name="tickInterval"/> (1 s when null) of the engine's clock, until the channel completes (returns) or
    /// <paramref name="cancellationToken"/> is cancelled (throws <see cref="OperationCanceledException"/>). While it
    /// runs, nothing else may call <see cref="Process(in TelemetryMessage)"/>, <see cref="Tick"/> or
    /// <see cref="ApplyPendingChanges"/>.
    /// </summary>
    public async Task RunAsync(ChannelReader<TelemetryMessage> messages, TimeSpan? tickInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var interval = tickInterval ?? TimeSpan.FromSeconds(1);
        var batch = new TelemetryMessage[256];
        var nextTick = _time.GetUtcNow() + interval;
        Task<bool>? waiting = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = 0;
            while (count < batch.Length && messages.TryRead(out var message))
            {
                batch[count++] = message;
            }

            if (count > 0)
            {
                Process(batch.AsSpan(0, count));
                Array.Clear(batch, 0, count); // let go of the callers' field buffers
            }

            var now = _time.GetUtcNow();
            if (now >= nextTick)
            {
                Tick();
                nextTick = now + interval;
            }

            if (count == batch.Length)
            {
                continue;
            }

            // Idle: wait for a message or the next tick, keeping one wait on the channel at a time.
            waiting ??= messages.WaitToReadAsync(cancellationToken).AsTask();
            using (var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(waiting, Task.Delay(nextTick - now, _time, wake.Token)).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
            }

            if (waiting.IsCompleted)
            {
                if (!await waiting.ConfigureAwait(false))
                {
                    return; // completed and drained
                }

                waiting = null;
            }
        }
    }

    /// <summary>The counts of every rule this engine has run. Any thread.</summary>
    public IReadOnlyList<RuleStatistics> Statistics() =>
        [.. _counters.Values.OrderBy(c => c.Rule, StringComparer.Ordinal).Select(Snapshot)];

    /// <summary>The counts of one rule, or null when this engine has never run it. Any thread.</summary>
    public RuleStatistics? StatisticsOf(string rule) => _counters.TryGetValue(rule, out var counters) ? Snapshot(counters) : null;

    public void Dispose()
    {
        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }
    }

    private static RuleStatistics Snapshot(RuleCounters c) => new(
        c.Rule,
        c.Evaluations,
        c.Firings,
        c.DryRunFirings,
        c.Suppressed,
        RuleErrorReasons.All.Where(r => c.Errors(r) > 0).ToDictionary(r => r, c.Errors),
        c.LastFired,
        c.LastProblem);

    private void Evaluate(in TelemetryMessage message, long now)
    {
        if (!_runtime.Devices.TryGetValue(message.Device, out var slot))
        {
            UnknownDeviceMessages++;
            return;
        }

        slot.LastSeen = now;
        if ((++_processed & LatencySampleMask) != 0 || !_latency.Enabled)
        {
            Observe(slot.Bindings, message, now);
            return;
        }

        var started = _time.GetTimestamp();
        Observe(slot.Bindings, message, now);
        _latency.Record(_time.GetElapsedTime(started).TotalSeconds);
    }

    private void Observe(RuleBinding[] bindings, in TelemetryMessage message, long now)
    {
        foreach (var binding in bindings)
        {
            binding.Observe(message, now, _runtime);
        }
    }

    private void Enqueue(Action<long> change)
    {
        _pending.Enqueue(change);
        _hasPending = true;
    }

    // Compiles on the caller's thread. A rule that cannot be compiled replaces its previous version with nothing:
    // its spec asks for something the engine cannot do, which the rule's statistics and errors metric then say.
    private (string Name, CompiledRule? Rule, string? Problem) CompileOrExplain(EdgeRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        try
        {
            var compiled = CompiledRule.Compile(rule, _options);
            return (compiled.Name, compiled, null);
        }
        catch (FormatException e)
        {
            return (rule.Metadata.Name, null, $"not evaluated: {e.Message}");
        }
    }

    private void SetRule(string name, CompiledRule? rule, string? problem)
    {
        if (rule is null)
        {
            _index.RejectRule(name, problem!);
        }
        else
        {
            _index.SetRule(rule);
        }
    }

    private bool Owns(string device) => _options.OwnsDevice?.Invoke(device) ?? true;

    private RuleCounters CountersFor(string rule) => _counters.GetOrAdd(rule, name =>
    {
        var counters = new RuleCounters(name);
        _metrics.Register(counters);
        return counters;
    });
}
