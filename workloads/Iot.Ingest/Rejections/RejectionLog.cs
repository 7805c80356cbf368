using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using Iot.Ingest.Telemetry;

namespace Iot.Ingest.Rejections;

/// <summary>
/// The in-memory <see cref="IRejectionLog"/>: a ring of the latest <see cref="PerDevice"/> rejections per device, and
/// the set of devices whose list changed since <see cref="RejectionPublisher"/> last published it.
/// </summary>
internal sealed class RejectionLog : IRejectionLog
{
    /// <summary>How many rejections are kept per device.</summary>
    public const int PerDevice = 20;

    /// <summary>How much of a rejected payload is kept.</summary>
    public const int MaxPayloadBytes = 1024;

    /// <summary>The topic prefix of the retained per-device lists.</summary>
    public const string TopicPrefix = "_iot/rejections/";

    private readonly ConcurrentDictionary<string, Ring> logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> changed = new(StringComparer.Ordinal);
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public IReadOnlyList<TelemetryRejection> Latest(string device) =>
        logs.TryGetValue(device, out var ring) ? ring.NewestFirst() : [];

    /// <summary>Records a refused message of a known device (its first error gives reason and field; the detail lists all).</summary>
    public TelemetryRejection Add(string device, DateTimeOffset at, IReadOnlyList<TelemetryError> errors, ReadOnlySpan<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        var first = errors[0];
        var detail = errors.Count == 1 ? first.Detail : string.Join("; ", errors.Select(e => e.Detail));
        var rejection = new TelemetryRejection(at, first.Reason, first.Field, detail, Truncate(payload));
        logs.GetOrAdd(device, _ => new Ring()).Add(rejection);
        changed[device] = true;
        signal.Writer.TryWrite(true);
        return rejection;
    }

    /// <summary>Drops a deleted device's list; its retained message is cleared at the next publication.</summary>
    public void Forget(string device)
    {
        if (logs.TryRemove(device, out _))
        {
            changed[device] = true;
            signal.Writer.TryWrite(true);
        }
    }

    /// <summary>Waits until some device's list changed.</summary>
    public ValueTask<bool> WaitForChangesAsync(CancellationToken cancellationToken) => signal.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The devices whose list changed since the last call.</summary>
    public IReadOnlyList<string> TakeChanged()
    {
        signal.Reader.TryRead(out _);
        var devices = new List<string>();
        foreach (var device in changed.Keys)
        {
            if (changed.TryRemove(device, out _))
            {
                devices.Add(device);
            }
        }

        return devices;
    }

    /// <summary>The retained message of <paramref name="device"/>: its list as JSON, or empty (which clears the retained message) when it has none.</summary>
    public byte[] ToMessage(string device)
    {
        var latest = Latest(device);
        if (latest.Count == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("device", device);
            json.WriteStartArray("rejections");
            foreach (var rejection in latest)
            {
                json.WriteStartObject();
                json.WriteString("at", rejection.At);
                json.WriteString("reason", rejection.Reason);
                if (rejection.Field is { } field)
                {
                    json.WriteString("field", field);
                }

                json.WriteString("detail", rejection.Detail);
                json.WriteString("payload", rejection.Payload);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // At most MaxPayloadBytes of UTF-8, cut before a character's continuation bytes rather than inside a character.
    private static string Truncate(ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= MaxPayloadBytes)
        {
            return Encoding.UTF8.GetString(payload);
        }

        var length = MaxPayloadBytes;
        while (length > 0 && (payload[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return Encoding.UTF8.GetString(payload[..length]);
    }

    private sealed class Ring
    {
        private readonly TelemetryRejection[] items = new TelemetryRejection[PerDevice];
        private int next;
        private int count;

        public void Add(TelemetryRejection rejection)
        {
            lock (items)
            {
                items[next] = rejection;
                next = (next + 1) % items.Length;
                count = Math.Min(count + 1, items.Length);
            }
        }

        public TelemetryRejection[] NewestFirst()
        {
            lock (items)
            {
                var result = new TelemetryRejection[count];
                for (var i = 0; i < count; i++)
                {
                    result[i] = items[(next - 1 - i + items.Length) % items.Length];
                }

                return result;
            }
        }
    }
}
