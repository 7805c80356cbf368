namespace Iot.Devices.Client;

/// <summary>A bounded FIFO of outgoing messages: when full, adding drops the oldest. Thread-safe.</summary>
internal sealed class OfflineBuffer<T>(int capacity)
    where T : class
{
    private readonly Lock gate = new();
    private readonly LinkedList<T> items = new();
    private long dropped;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Adds <paramref name="item"/>; true if the oldest item was dropped to make room.</summary>
    public bool Add(T item)
    {
        lock (gate)
        {
            var full = items.Count >= capacity;
            if (full)
            {
                items.RemoveFirst();
                Interlocked.Increment(ref dropped);
            }

            items.AddLast(item);
            return full;
        }
    }

    public T? Peek()
    {
        lock (gate)
        {
            return items.First?.Value;
        }
    }

    /// <summary>Removes <paramref name="item"/> if it is still the oldest (it may have been dropped while it was being sent).</summary>
    public void RemoveIfFirst(T item)
    {
        lock (gate)
        {
            if (items.First is { } first && ReferenceEquals(first.Value, item))
            {
                items.RemoveFirst();
            }
        }
    }
}
