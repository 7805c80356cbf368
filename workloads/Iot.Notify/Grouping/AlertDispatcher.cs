using System.Threading.Channels;

using Iot.Api.Alerts;
using Iot.Notify.Alerts;
using Iot.Notify.Routing;
using Iot.Storage.Events;

namespace Iot.Notify.Grouping;

/// <summary>
/// Routes alerts into aggregation groups and decides, Alertmanager style, when a group is notified: <c>groupWait</c>
/// after the group appears, then at every <c>groupInterval</c> if its firing alerts changed or one resolved that was
/// reported firing, or when <c>repeatInterval</c> has passed since the last notification. At each flush, alerts that are
/// silenced, inhibited or acknowledged are left out, and a muted route sends nothing. Every timer comes from the
/// <see cref="TimeProvider"/>; the decisions are made synchronously and written to <see cref="Notifications"/>.
/// </summary>
public sealed class AlertDispatcher : IDisposable
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Channel<GroupNotification> output = Channel.CreateUnbounded<GroupNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, AggregationGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupLogEntry> log = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (AlertEvent Alert, IReadOnlyDictionary<string, string> Labels)> firing = new(StringComparer.Ordinal);
    private readonly HashSet<string> acknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Silence> silences = new(StringComparer.Ordinal);
    private RouteTable routes = RouteTable.Empty;

    public AlertDispatcher(TimeProvider time) => this.time = time;

    /// <summary>What the flushes decided to send, in order.</summary>
    public ChannelReader<GroupNotification> Notifications => output.Reader;

    /// <summary>The routes in use.</summary>
    public RouteTable Routes
    {
        get
        {
            lock (gate)
            {
                return routes;
            }
        }
    }

    /// <summary>How many alerts are firing.</summary>
    public int ActiveAlerts
    {
        get
        {
            lock (gate)
            {
                return firing.Count;
            }
        }
    }

    /// <summary>How many aggregation groups exist.</summary>
    public int GroupCount
    {
        get
        {
            lock (gate)
            {
                return groups.Count;
            }
        }
    }

    /// <summary>Replaces the routes; groups of routes that are gone are dropped at their next flush.</summary>
    public void UpdateRoutes(RouteTable table)
    {
        lock (gate)
        {
            routes = table;
        }
    }

    /// <summary>Restores the notification log kept in the store (at start-up), so a restart neither repeats early nor forgets resolved notifications.</summary>
    public void RestoreLog(IEnumerable<GroupLogEntry> entries)
    {
        lock (gate)
        {
            foreach (var entry in entries)
            {
                log[entry.GroupKey] = entry;
            }
        }
    }

    /// <summary>Replaces the silences.</summary>
    public void SetSilences(IEnumerable<Silence> all)
    {
        lock (gate)
        {
            silences.Clear();
            foreach (var silence in all)
            {
                silences[silence.Id] = silence;
            }
        }
    }

    public void AddSilence(Silence silence)
    {
        lock (gate)
        {
            silences[silence.Id] = silence;
        }
    }

    public void RemoveSilence(string id)
    {
        lock (gate)
        {
            silences.Remove(id);
        }
    }

    /// <summary>The ids of the silences that mute an alert with <paramref name="labels"/> now.</summary>
    public IReadOnlyList<string> SilencedBy(IReadOnlyDictionary<string, string> labels)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return [.. silences.Values.Where(s => s.Mutes(labels, now)).Select(s => s.Id)];
        }
    }

    /// <summary>An acknowledged firing alert is not notified again during this episode; its resolution still is.</summary>
    public void Acknowledge(string fingerprint)
    {
        lock (gate)
        {
            acknowledged.Add(fingerprint);
        }
    }

    /// <summary>Takes an alert event into every group of every route it matches.</summary>
    public void Receive(AlertEvent alert)
    {
        var labels = AlertLabels.Of(alert);
        var flushNow = new List<string>();
        lock (gate)
        {
            if (alert.Status == AlertStatus.Firing)
            {
                if (!firing.TryGetValue(alert.Fingerprint, out var previous) || previous.Alert.StartsAt != alert.StartsAt)
                {
                    acknowledged.Remove(alert.Fingerprint); // a new episode of the alert
                }

                firing[alert.Fingerprint] = (alert, labels);
            }
            else
            {
                firing.Remove(alert.Fingerprint);
                acknowledged.Remove(alert.Fingerprint);
            }

            foreach (var route in routes.Match(labels))
            {
                var key = route.GroupKeyOf(labels);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new AggregationGroup(key, route.Name, route.GroupLabelsOf(labels));
                    groups[key] = group;
                    var wait = route.GroupWait;
                    group.Timer = time.CreateTimer(static state => ((PendingFlush)state!).Run(), new PendingFlush(this, key),
                        wait > TimeSpan.Zero ? wait : route.GroupInterval, route.GroupInterval);
                    if (wait <= TimeSpan.Zero)
                    {
                        flushNow.Add(key);
                    }
                }

                group.Alerts[alert.Fingerprint] = (alert, labels);
            }
        }

        foreach (var key in flushNow)
        {
            Flush(key);
        }
    }

    /// <summary>Decides what the group sends now: at its timer's ticks, or at once for groupWait 0.</summary>
    private void Flush(string key)
    {
        lock (gate)
        {
            if (!groups.TryGetValue(key, out var group))
            {
                return;
            }

            if (routes.Get(group.Route) is not { } route)
            {
                Drop(group);
                return;
            }

            var now = time.GetUtcNow();
            foreach (var ended in silences.Values.Where(s => s.EndsAt <= now).ToList())
            {
                silences.Remove(ended.Id);
            }

            var firingNow = group.Alerts.Values
                .Where(a => a.Alert.Status == AlertStatus.Firing && !acknowledged.Contains(a.Alert.Fingerprint) && !IsSilenced(a.Labels, now) && !IsInhibited(route, a.Alert.Fingerprint, a.Labels))
                .Select(a => a.Alert).OrderBy(a => a.Fingerprint, StringComparer.Ordinal).ToList();
            var resolved = group.Alerts.Values.Where(a => a.Alert.Status == AlertStatus.Resolved).Select(a => a.Alert).ToList();
            var last = log.GetValueOrDefault(key);
            var reported = last?.Firing.ToHashSet(StringComparer.Ordinal) ?? [];
            var resolvedReported = resolved.Where(a => reported.Contains(a.Fingerprint)).OrderBy(a => a.Fingerprint, StringComparer.Ordinal).ToList();
            var muted = route.Mute.IsMuted(now);
            var send = !muted && (firingNow.Count > 0 || resolvedReported.Count > 0) && (
                firingNow.Any(a => !reported.Contains(a.Fingerprint))
                || resolvedReported.Count > 0
                || last is null
                || now - last.SentAt >= route.RepeatInterval);
            if (send)
            {
                // Acknowledged alerts reported before stay in the log, so their resolution is still sent.
                var logged = firingNow.Select(a => a.Fingerprint)
                    .Concat(group.Alerts.Values.Where(a => a.Alert.Status == AlertStatus.Firing && acknowledged.Contains(a.Alert.Fingerprint) && reported.Contains(a.Alert.Fingerprint)).Select(a => a.Alert.Fingerprint))
                    .ToList();
                if (logged.Count > 0)
                {
                    log[key] = new GroupLogEntry(key, route.Name, logged, now);
                }
                else
                {
                    log.Remove(key);
                }

                output.Writer.TryWrite(new GroupNotification(route.Name, key, group.GroupLabels, firingNow, resolvedReported, route.Receivers, now, logged));
            }

            if (!muted)
            {
                foreach (var alert in resolved)
                {
                    group.Alerts.Remove(alert.Fingerprint);
                }
            }

            if (group.Alerts.Count == 0)
            {
                Drop(group);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var group in groups.Values)
            {
                group.Timer?.Dispose();
            }

            groups.Clear();
        }

        output.Writer.TryComplete();
    }

    private void Drop(AggregationGroup group)
    {
        group.Timer?.Dispose();
        groups.Remove(group.Key);
    }

    private bool IsSilenced(IReadOnlyDictionary<string, string> labels, DateTimeOffset now) => silences.Values.Any(s => s.Mutes(labels, now));

    private bool IsInhibited(CompiledRoute route, string fingerprint, IReadOnlyDictionary<string, string> labels) =>
        route.Inhibit.Any(rule => rule.FindSource(fingerprint, labels, firing.Select(f => (f.Key, f.Value.Labels))) is not null);

    private sealed class AggregationGroup(string key, string route, IReadOnlyDictionary<string, string> groupLabels)
    {
        public string Key { get; } = key;

        public string Route { get; } = route;

        public IReadOnlyDictionary<string, string> GroupLabels { get; } = groupLabels;

        public Dictionary<string, (AlertEvent Alert, IReadOnlyDictionary<string, string> Labels)> Alerts { get; } = new(StringComparer.Ordinal);

        public ITimer? Timer { get; set; }
    }

    private sealed record PendingFlush(AlertDispatcher Dispatcher, string Key)
    {
        public void Run() => Dispatcher.Flush(Key);
    }
}
