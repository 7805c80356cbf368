using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

/// <summary>Reads what a watch has queued; the store enqueues synchronously, so no waiting is needed.</summary>
internal static class WatchExtensions
{
    public static List<WatchEvent> Drain(this StoreWatch watch)
    {
        var events = new List<WatchEvent>();
        while (watch.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Each event as "TYPE name", e.g. "ADDED thermo-1".</summary>
    public static List<string> Summaries(this IEnumerable<WatchEvent> events) =>
        events.Select(e => e.Type == WatchEventTypes.Bookmark ? $"BOOKMARK {e.Object.ResourceVersion()}" : $"{e.Type} {e.Object.Name()}").ToList();

    public static List<string> DrainSummaries(this StoreWatch watch) => watch.Drain().Summaries();
}
