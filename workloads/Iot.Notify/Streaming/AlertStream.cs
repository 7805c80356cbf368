using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Iot.Notify.Streaming;

/// <summary>
/// Fans alert events out to the live subscribers (WebSocket clients). Each subscriber has a bounded buffer; a
/// subscriber too slow to keep up loses its oldest events rather than holding up notify.
/// </summary>
public sealed class AlertStream
{
    private readonly ConcurrentDictionary<Guid, Channel<byte[]>> subscribers = new();

    /// <summary>How many subscribers are connected.</summary>
    public int Subscribers => subscribers.Count;

    /// <summary>Sends <paramref name="json"/> to every subscriber.</summary>
    public void Publish(byte[] json)
    {
        foreach (var channel in subscribers.Values)
        {
            channel.Writer.TryWrite(json);
        }
    }

    /// <summary>Subscribes until the returned handle is disposed.</summary>
    public Subscription Subscribe(int capacity = 1024)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        subscribers[id] = channel;
        return new Subscription(channel.Reader, () =>
        {
            subscribers.TryRemove(id, out _);
            channel.Writer.TryComplete();
        });
    }

    /// <summary>A subscriber's events; dispose to leave.</summary>
    public sealed class Subscription(ChannelReader<byte[]> reader, Action leave) : IDisposable
    {
        public ChannelReader<byte[]> Events { get; } = reader;

        public void Dispose() => leave();
    }
}
