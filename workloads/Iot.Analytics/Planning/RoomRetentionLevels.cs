using Iot.Api.Rooms;
using Iot.Storage.TimeSeries;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Planning;

/// <summary>Where a room's telemetry is kept: its raw policy and its rollups, finest first (DESIGN.md §6).</summary>
public sealed record RoomRetentionLevels(RetentionLevel Raw, IReadOnlyList<RetentionLevel> Rollups)
{
    /// <summary>The raw retention a Room gets when its spec names none (the CRD's default), as the spec spells it.</summary>
    public const string DefaultRawSpec = "7d";

    /// <summary>The raw retention a Room gets when its spec names none.</summary>
    public static readonly TimeSpan DefaultRaw = ApiDuration.Parse(DefaultRawSpec);

    /// <summary>Every level, raw first.</summary>
    public IEnumerable<RetentionLevel> All => Rollups.Prepend(Raw);

    /// <summary>The levels of <paramref name="room"/> as its spec declares them (the operator applies the same spec to InfluxDB).</summary>
    public static RoomRetentionLevels Of(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return Of(room.Metadata.Name, room);
    }

    /// <summary>
    /// The levels of the room named <paramref name="name"/>, declared by <paramref name="room"/> (null: a room a Device
    /// names but that does not exist, so the defaults). A null <paramref name="name"/> is the devices without a room,
    /// kept in <c>default_raw</c> for as long as the operator's settings say (unknown here). Rollups whose durations do
    /// not parse are left out (the operator refuses such a Room).
    /// </summary>
    public static RoomRetentionLevels Of(string? name, Room? room)
    {
        if (string.IsNullOrEmpty(name))
        {
            return new RoomRetentionLevels(new RetentionLevel(RetentionPolicyNames.DefaultRaw, null, null), []);
        }

        var retention = room?.Spec.Retention;
        var raw = ApiDuration.TryParse(retention?.Raw, out var keepRaw) ? keepRaw : DefaultRaw;
        var rollups = (retention?.Rollups ?? [])
            .Select(r => ApiDuration.TryParse(r.Every, out var every) && ApiDuration.TryParse(r.Keep, out var keep) && every > TimeSpan.Zero
                ? new RetentionLevel(RetentionPolicyNames.Rollup(name, every), every, keep)
                : null)
            .OfType<RetentionLevel>()
            .OrderBy(r => r.Every)
            .ToList();
        return new RoomRetentionLevels(new RetentionLevel(RetentionPolicyNames.Raw(name), null, raw), rollups);
    }
}
