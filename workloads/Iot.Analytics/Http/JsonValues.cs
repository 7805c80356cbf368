using Iot.Storage.TimeSeries;

namespace Iot.Analytics.Http;

/// <summary>Telemetry values as JSON scalars: numbers, integers, booleans and strings.</summary>
internal static class JsonValues
{
    public static object Of(TelemetryValue value) => value.Kind switch
    {
        TelemetryValueKind.Number => value.AsDouble(),
        TelemetryValueKind.Integer => value.AsInteger(),
        TelemetryValueKind.Boolean => value.AsBoolean(),
        _ => value.AsString(),
    };

    public static IReadOnlyDictionary<string, object> Of(IEnumerable<KeyValuePair<string, TelemetryValue>> fields) =>
        fields.ToDictionary(f => f.Key, f => Of(f.Value), StringComparer.Ordinal);
}
