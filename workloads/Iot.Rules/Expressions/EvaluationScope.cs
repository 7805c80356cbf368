using Iot.Rules.Engine;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Expressions;

/// <summary>What an expression reads: the message's fields and the device it came from.</summary>
internal readonly struct EvaluationScope(in TelemetryMessage message, DeviceInfo device)
{
    public readonly TelemetryMessage Message = message;
    public readonly DeviceInfo Device = device;
}
