namespace Iot.Storage.Influx;

/// <summary>
/// One series of a query result: the measurement name, the GROUP BY tags, the column names and the rows. Values are
/// <see cref="string"/>, <see cref="bool"/>, <see cref="double"/> (a JSON number with a fraction or exponent),
/// <see cref="long"/> (an integral JSON number, which InfluxDB also prints for whole floats) or null. The
/// <c>time</c> column, when present, holds nanoseconds since the Unix epoch as <see cref="long"/>.
/// </summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Values)
{
    /// <summary>The index of <paramref name="column"/>, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
