using System.Globalization;

namespace Iot.Benchmarks;

/// <summary>Rows of <c>make bench</c>: what was measured, our figure, the peer's (when one is named) and their ratio.</summary>
internal sealed class BenchmarkTable
{
    private readonly List<(string Name, double Ours, double? Peer, string Unit)> rows = [];

    public void Add(string name, double ours, string unit, double? peer = null) => rows.Add((name, ours, peer, unit));

    public void Print(TextWriter output)
    {
        output.WriteLine($"{"benchmark",-58} {"ours",12} {"peer",12} {"ratio",8}  unit");
        foreach (var (name, ours, peer, unit) in rows)
        {
            var ratio = peer is { } p && p != 0 ? (ours / p).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{name,-58} {Format(ours),12} {(peer is { } q ? Format(q) : "-"),12} {ratio,8}  {unit}");
        }
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture);
}
