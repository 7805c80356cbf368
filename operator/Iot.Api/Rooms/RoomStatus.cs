using Iot.Api.Common;

namespace Iot.Api.Rooms;

/// <summary>The observed state of a Room.</summary>
public sealed class RoomStatus : ResourceStatus
{
    /// <summary>How many Devices name this room.</summary>
    public int? DeviceCount { get; set; }

    /// <summary>The retention last applied to the time-series store.</summary>
    public AppliedRetention? Retention { get; set; }
}
