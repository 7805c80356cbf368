using Iot.Rules.Telemetry;
using Iot.Storage.TimeSeries;

namespace Iot.Ingest.Telemetry;

/// <summary>A validated message: the point to store and the message for the rule engine.</summary>
internal readonly record struct AcceptedTelemetry(TelemetryPoint Point, TelemetryMessage Message);
