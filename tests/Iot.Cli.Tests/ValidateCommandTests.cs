using System.Text.Json.Nodes;

namespace Iot.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private const string Room = """
        apiVersion: iotoperator.io/v1alpha1
        kind: Room
        metadata: {name: lab-1, namespace: b}
        spec: {displayName: Lab 1}
        ---
        apiVersion: iotoperator.io/v1alpha1
        kind: Device
        metadata: {name: thermo-1, namespace: b}
        spec:
          type: thermostat
          room: lab-1
          telemetry: [{name: temperature, type: number}]
        ---
        """;

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private async Task<CliRun> ValidateAsync(string yaml)
    {
        var file = dir.Write("case.yaml", Room + "\n" + yaml);
        return await CliRun.RunAsync("validate", file);
    }

    // Room + Device above take 13 lines, so the case's own line N is reported as 13 + N.
    private static string At(int line) => $"case.yaml:{13 + line}: ";

    [Fact]
    public async Task The_examples_are_valid()
    {
        var run = await CliRun.RunAsync("validate", RepositoryRoot.Combine("examples"));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("19 object(s) in 6 file(s): 0 error(s)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_spec_field_fails_naming_file_line_object_and_field()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: Room
            metadata: {name: lab-2, namespace: b}
            spec:
              displayName: Lab 2
              colour: blue
            """);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.EndsWith(At(6) + "Room/lab-2: spec.colour: unknown field \"colour\"", line.Replace(dir.Path + "/", ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_enum_value_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: Device
            metadata: {name: thermo-2, namespace: b}
            spec:
              type: thermostat
              telemetry:
                - {name: temperature, type: float}
            """);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.Contains(At(7) + "Device/thermo-2: spec.telemetry[0].type: ", line, StringComparison.Ordinal);
        Assert.Contains("\"float\"", line, StringComparison.Ordinal);
        Assert.Contains("\"number\", \"integer\", \"boolean\", \"string\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_duration_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: Device
            metadata: {name: thermo-2, namespace: b}
            spec:
              type: thermostat
              heartbeat:
                timeout: 2 minutes
            """);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.Contains(At(7) + "Device/thermo-2: spec.heartbeat.timeout: ", line, StringComparison.Ordinal);
        Assert.Contains("2 minutes", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_naming_a_room_not_in_the_set_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: Device
            metadata: {name: thermo-2, namespace: b}
            spec:
              type: thermostat
              room: lab-9
            """);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(At(6) + "Device/thermo-2: spec.room: Room \"lab-9\" is not defined in namespace b; rooms in the set: lab-1", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeRule_on_a_field_its_devices_do_not_have_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: EdgeRule
            metadata: {name: too-humid, namespace: b}
            spec:
              selector: {types: [thermostat]}
              condition:
                threshold: {field: humidity, operator: ">", value: 80}
              actions: [{alert: {severity: warning}}]
            """);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(
            At(7) + "EdgeRule/too-humid: spec.condition.threshold.field: field \"humidity\" is not in the telemetry of selected device(s) thermo-1 (type thermostat)",
            Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeRule_with_two_condition_kinds_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: EdgeRule
            metadata: {name: both, namespace: b}
            spec:
              selector: {}
              condition:
                threshold: {field: temperature, operator: ">", value: 30}
                absence: {for: 5m}
              actions: [{alert: {severity: warning}}]
            """);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(
            At(6) + "EdgeRule/both: spec.condition: exactly one of threshold, window, absence, rateOfChange, anomaly or expression must be set, 2 are",
            Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expression_syntax_error_fails_with_its_column()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: EdgeRule
            metadata: {name: broken, namespace: b}
            spec:
              selector: {}
              condition:
                expression: 'temperature > 30 &&'
              actions: [{alert: {severity: warning}}]
            """);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(
            At(7) + "EdgeRule/broken: spec.condition.expression: column 20: expected expression but found end of input",
            Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRoute_with_a_malformed_matcher_fails()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: AlertRoute
            metadata: {name: ops, namespace: b}
            spec:
              matchers:
                - severity=~"critical|warning"
                - room=="lab-1"
              receivers: [{name: bus, mqtt: {topic: alerts/ops}}]
            """);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(
            At(7) + "AlertRoute/ops: spec.matchers[1]: invalid matcher 'room==\"lab-1\"': column 6: unexpected '=': the operators are =, !=, =~ and !~ (there is no ==)",
            Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_yaml_fails_with_its_line()
    {
        var file = dir.Write("broken.yaml", "apiVersion: v1\nkind: [ConfigMap\nmetadata: {}\n");
        var run = await CliRun.RunAsync("validate", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("broken.yaml:3: invalid YAML: the document ends inside", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warnings_do_not_fail_and_other_kinds_are_ignored()
    {
        var run = await ValidateAsync("""
            apiVersion: iotoperator.io/v1alpha1
            kind: EdgeRule
            metadata: {name: nobody, namespace: b}
            spec:
              selector: {types: [hvac]}
              condition: {absence: {for: 5m}}
              actions: [{alert: {severity: info}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: anything}
            spec: {whatever: true}
            """);
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith(At(5) + "warning: EdgeRule/nobody: spec.selector: matches no Device in the given files", Assert.Single(run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_for_machines()
    {
        var file = dir.Write("case.yaml", Room + "\napiVersion: iotoperator.io/v1alpha1\nkind: Device\nmetadata: {name: d, namespace: b}\nspec: {type: t, room: nowhere}\n");
        var run = await CliRun.RunAsync("validate", "--output", "json", file);
        Assert.Equal(1, run.ExitCode);
        var report = JsonNode.Parse(run.Output)!;
        Assert.False((bool)report["valid"]!);
        Assert.Equal(3, (int)report["objects"]!);
        var error = report["errors"]!.AsArray().Single()!;
        Assert.Equal((14 + 3, "Device", "d", "b", "spec.room"), ((int)error["line"]!, (string)error["kind"]!, (string)error["name"]!, (string)error["namespace"]!, (string)error["field"]!));
    }

    [Fact]
    public async Task A_missing_path_is_an_error() =>
        Assert.Equal(1, (await CliRun.RunAsync("validate", Path.Combine(dir.Path, "nope"))).ExitCode);
}
