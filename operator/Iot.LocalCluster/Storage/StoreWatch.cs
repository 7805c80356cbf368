using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// An open watch on one kind: events in resourceVersion order on an unbounded channel, filtered by namespace and
/// selectors. The channel completes when the watch is disposed or the store drops all watches.
/// </summary>
public sealed class StoreWatch : IDisposable
{
    private readonly ObjectStore _store;
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>();

    internal StoreWatch(ObjectStore store, ResourceType type, ObjectFilter filter)
    {
        _store = store;
        Type = type;
        Filter = filter;
    }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal ResourceType Type { get; }

    internal ObjectFilter Filter { get; }

    internal bool IsOpen { get; private set; } = true;

    /// <summary>Enqueues, in order with the other events, a BOOKMARK carrying the store's current resourceVersion.</summary>
    public void RequestBookmark() => _store.SendBookmark(this);

    public void Dispose() => _store.StopWatching(this);

    // The methods below run under the store's lock, which is what keeps every watch in resourceVersion order.
    internal void Deliver(StoredChange change)
    {
        var matchesNow = Filter.Matches(change.Current);
        var matchedBefore = change.Previous is not null && Filter.Matches(change.Previous);
        switch (change.EventType)
        {
            case WatchEventTypes.Added when matchesNow:
                Send(WatchEventTypes.Added, change.Current.CloneObject());
                break;
            case WatchEventTypes.Modified when matchesNow:
                // An object that changed into the selection is new to this watcher.
                Send(matchedBefore ? WatchEventTypes.Modified : WatchEventTypes.Added, change.Current.CloneObject());
                break;
            case WatchEventTypes.Modified when matchedBefore:
                // One that changed out of it is gone for this watcher; like the real server, send the last state it
                // matched in, at the change's resourceVersion.
                var departed = change.Previous!.CloneObject();
                ObjectMetadata.SetResourceVersion(departed, change.ResourceVersion);
                Send(WatchEventTypes.Deleted, departed);
                break;
            case WatchEventTypes.Deleted when matchedBefore || (change.Previous is null && matchesNow):
                Send(WatchEventTypes.Deleted, change.Current.CloneObject());
                break;
        }
    }

    internal void SendExisting(StoredObject obj) => Send(WatchEventTypes.Added, obj.CloneObject());

    internal void SendBookmark(long resourceVersion) => Send(WatchEventTypes.Bookmark, new JsonObject
    {
        ["apiVersion"] = Type.ApiVersion,
        ["kind"] = Type.Kind,
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
    });

    internal void Close()
    {
        IsOpen = false;
        _channel.Writer.TryComplete();
    }

    private void Send(string type, JsonObject obj) => _channel.Writer.TryWrite(new WatchEvent(type, obj));
}
