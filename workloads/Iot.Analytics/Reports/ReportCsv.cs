using System.Globalization;
using System.Text;

namespace Iot.Analytics.Reports;

/// <summary>
/// A report as CSV (RFC 4180) in long form, one statistic per row: <c>room,subject,statistic,value</c>. Subjects are
/// <c>report</c> (from, to, created_at, alert_source; no room), <c>metric:&lt;name&gt;</c> (value, mean, min, max,
/// count), <c>device:&lt;id&gt;</c> (uptime) and <c>room</c> (devices, alerts_fired, mean_uptime). Empty value: none.
/// </summary>
public static class ReportCsv
{
    /// <summary>The media type.</summary>
    public const string ContentType = "text/csv";

    /// <summary>Writes <paramref name="report"/> as CSV.</summary>
    public static string Write(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder("room,subject,statistic,value\r\n");
        void Row(string room, string subject, string statistic, string? value) =>
            csv.Append(Field(room)).Append(',').Append(Field(subject)).Append(',').Append(statistic).Append(',').Append(Field(value ?? "")).Append("\r\n");
        static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

        Row("", "report", "from", report.From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Row("", "report", "to", report.To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Row("", "report", "created_at", report.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Row("", "report", "alert_source", report.AlertSource);
        foreach (var room in report.Rooms)
        {
            Row(room.Room, "room", "devices", room.Devices.ToString(CultureInfo.InvariantCulture));
            Row(room.Room, "room", "alerts_fired", room.AlertsFired.ToString(CultureInfo.InvariantCulture));
            Row(room.Room, "room", "mean_uptime", Number(room.MeanUptime));
            foreach (var metric in room.Metrics)
            {
                var subject = "metric:" + metric.Name;
                Row(room.Room, subject, "value", Number(metric.Value));
                Row(room.Room, subject, "mean", Number(metric.Mean));
                Row(room.Room, subject, "min", Number(metric.Min));
                Row(room.Room, subject, "max", Number(metric.Max));
                Row(room.Room, subject, "count", metric.Count.ToString(CultureInfo.InvariantCulture));
            }

            foreach (var device in room.Uptime)
            {
                Row(room.Room, "device:" + device.Device, "uptime", Number(device.Uptime));
            }
        }

        return csv.ToString();
    }

    // Quotes a field holding a comma, quote or line break, doubling its quotes.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
