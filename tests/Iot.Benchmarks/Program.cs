using Iot.Benchmarks;

// make bench: every figure measured in this one run, side by side with its peer where the issue names one.
if (await BrokerBenchmarks.ServeIfChildAsync(args))
{
    return; // this process is the benchmark's broker child
}

// BENCH_DEVICES sizes the operator benchmark (default 10,000, as issue 4 asks).
// BENCH_VERBOSE=1 prints the operator's requests by verb and resource.
// BENCH_STORAGE_POINTS sizes the storage benchmark (default 1,000,000).
var devices = int.TryParse(Environment.GetEnvironmentVariable("BENCH_DEVICES"), out var n) ? n : 10_000;
var table = new BenchmarkTable();
if (Selected("rules"))
{
    await RuleEngineBenchmarks.RunAsync(table);
}

if (Selected("cluster"))
{
    await LocalClusterBenchmarks.RunAsync(table, devices: 10_000, watchSamples: 1_000);
}

if (Selected("operator"))
{
    await OperatorBenchmarks.RunAsync(table, devices, rooms: 100);
}

if (Selected("storage"))
{
    await StorageBenchmarks.RunAsync(table, points: int.TryParse(Environment.GetEnvironmentVariable("BENCH_STORAGE_POINTS"), out var p) ? p : 1_000_000);
}

if (Selected("analytics"))
{
    await AnalyticsBenchmarks.RunAsync(table);
}

if (Selected("notify"))
{
    await NotifyBenchmarks.RunAsync(table);
}

if (Selected("broker"))
{
    await BrokerBenchmarks.RunAsync(table);
}

if (Selected("ingest"))
{
    await IngestBenchmarks.RunAsync(table);
}

if (Selected("dev"))
{
    await DevBenchmarks.RunAsync(table);
}

table.Print(Console.Out);

// BENCH_ONLY=storage,operator runs only the named benchmarks; unset runs them all.
static bool Selected(string name) =>
    Environment.GetEnvironmentVariable("BENCH_ONLY") is not { Length: > 0 } only || only.Split(',').Contains(name, StringComparer.OrdinalIgnoreCase);
