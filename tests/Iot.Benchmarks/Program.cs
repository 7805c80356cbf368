using Iot.Benchmarks;

// make bench: every figure measured in this one run, side by side with its peer where the issue names one.
var table = new BenchmarkTable();
await LocalClusterBenchmarks.RunAsync(table, devices: 10_000, watchSamples: 1_000);
table.Print(Console.Out);
