using System.Text;

using Iot.Api.Devices;
using Iot.Api.Manifests;
using Iot.Ingest.Devices;
using Iot.Ingest.Telemetry;

using k8s;

namespace Iot.Ingest.Tests.Telemetry;

public sealed class TelemetryParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DeviceProfile Thermostat = Profile("""
        metadata: {name: thermo-1}
        spec:
          type: thermostat
          telemetry:
            - {name: temperature, type: number, min: -40, max: 125}
            - {name: errors, type: integer, min: 0}
            - {name: heating, type: boolean}
            - {name: mode, type: string}
        """);

    private static readonly DeviceProfile AnyFields = Profile("{metadata: {name: plug-1}, spec: {type: plug}}");

    [Fact]
    public void The_seed_clients_envelope_gives_its_data_fields_at_its_ISO_timestamp()
    {
        var message = Accepted(Thermostat, """{"device_id":"thermo-1","timestamp":"2026-03-01T11:59:30.250+01:00","data":{"temperature":21.5,"errors":3,"heating":true,"mode":"eco"}}""");

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 59, 30, 250, TimeSpan.Zero), message.Timestamp);
        Assert.Equal(["temperature=21.5", "errors=3", "heating=true", "mode=eco"], message.Fields.Select(f => $"{f.Name}={f.Value}"));
        Assert.Equal([TelemetryType.Number, TelemetryType.Integer, TelemetryType.Boolean, TelemetryType.String], message.Fields.Select(f => f.Value.Kind));
    }

    [Fact]
    public void A_flat_object_gives_its_fields_at_ts_in_epoch_milliseconds()
    {
        var message = Accepted(Thermostat, """{"temperature":20,"ts":1772366400123}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1772366400123), message.Timestamp);
        var field = Assert.Single(message.Fields);
        Assert.Equal(("temperature", TelemetryType.Number, 20.0), (field.Name, field.Value.Kind, field.Value.AsNumber));
    }

    [Fact]
    public void A_message_without_ts_or_timestamp_gets_its_receive_time_and_a_timestamp_without_offset_is_UTC()
    {
        Assert.Equal(ReceivedAt, Accepted(Thermostat, """{"temperature":20}""").Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), Accepted(Thermostat, """{"timestamp":"2026-03-01T08:00:00","temperature":20}""").Timestamp);
    }

    [Theory]
    [InlineData("21", 21)]
    [InlineData("21.0", 21)]
    [InlineData("2e1", 20)]
    public void An_integer_field_takes_whole_numbers_however_spelled(string json, long expected)
    {
        var field = Assert.Single(Accepted(Thermostat, $$"""{"errors":{{json}}}""").Fields);
        Assert.Equal((TelemetryType.Integer, expected), (field.Value.Kind, field.Value.AsInteger));
    }

    [Fact]
    public void Without_a_schema_any_scalar_is_accepted_and_every_number_is_a_float()
    {
        var message = Accepted(AnyFields, """{"power":1200,"factor":0.9,"on":true,"state":"ok"}""");

        Assert.Equal([TelemetryType.Number, TelemetryType.Number, TelemetryType.Boolean, TelemetryType.String], message.Fields.Select(f => f.Value.Kind));
    }

    [Theory]
    [InlineData("""{"errors":2.5}""", "errors", "must be an integer, not 2.5")]
    [InlineData("""{"temperature":"21.5"}""", "temperature", "must be a number, not a string")]
    [InlineData("""{"heating":1}""", "heating", "must be a boolean, not a number")]
    [InlineData("""{"mode":null}""", "mode", "must be a string, not null")]
    [InlineData("""{"temperature":{"value":21}}""", "temperature", "is an object")]
    public void A_value_of_another_type_than_the_schema_says_is_a_type_mismatch(string json, string field, string detail)
    {
        var error = Assert.Single(Rejected(Thermostat, json));
        Assert.Equal((RejectionReasons.TypeMismatch, field), (error.Reason, error.Field));
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_schema_arrays_and_objects_are_still_not_fields()
    {
        Assert.Equal(RejectionReasons.TypeMismatch, Assert.Single(Rejected(AnyFields, """{"readings":[1,2,3]}""")).Reason);
    }

    [Theory]
    [InlineData("""{"temperature":-41}""", "temperature", "below the minimum -40")]
    [InlineData("""{"temperature":125.5}""", "temperature", "above the maximum 125")]
    [InlineData("""{"errors":-1}""", "errors", "below the minimum 0")]
    [InlineData("""{"temperature":1e400}""", "temperature", "beyond what a 64-bit float holds")]
    public void A_number_outside_min_and_max_is_out_of_range(string json, string field, string detail)
    {
        var error = Assert.Single(Rejected(Thermostat, json));
        Assert.Equal((RejectionReasons.OutOfRange, field), (error.Reason, error.Field));
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_schema_does_not_declare_is_unknown_and_the_detail_lists_the_declared_ones()
    {
        var error = Assert.Single(Rejected(Thermostat, """{"temperature":20,"pressure":1013}"""));

        Assert.Equal((RejectionReasons.UnknownField, "pressure"), (error.Reason, error.Field));
        Assert.Contains("(fields: errors, heating, mode, temperature)", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("time")]
    [InlineData("device")]
    [InlineData("room")]
    [InlineData("type")]
    public void InfluxDBs_time_column_and_the_tag_names_are_never_fields(string name)
    {
        var error = Assert.Single(Rejected(AnyFields, $$"""{"{{name}}":1}"""));
        Assert.Equal((RejectionReasons.ReservedField, name), (error.Reason, error.Field));
    }

    [Fact]
    public void A_field_name_with_a_control_character_is_refused()
    {
        Assert.Equal(RejectionReasons.InvalidFieldName, Assert.Single(Rejected(AnyFields, """{"a\nb":1}""")).Reason);
        Assert.Equal(RejectionReasons.InvalidFieldName, Assert.Single(Rejected(AnyFields, """{"":1}""")).Reason);
    }

    [Fact]
    public void A_device_id_of_another_device_is_a_mismatch_reported_first()
    {
        var errors = Rejected(Thermostat, """{"device_id":"thermo-2","data":{"temperature":500}}""");

        Assert.Equal([RejectionReasons.DeviceMismatch, RejectionReasons.OutOfRange], errors.Select(e => e.Reason));
        Assert.Contains("says it is from 'thermo-2'", errors[0].Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"temperature": 21""")]
    [InlineData("""[{"temperature": 21}]""")]
    [InlineData("""{"temperature": 21} {"temperature": 22}""")]
    [InlineData("21")]
    [InlineData("")]
    [InlineData("not json")]
    public void A_payload_that_is_not_one_JSON_object_is_malformed(string json)
    {
        var error = Assert.Single(Rejected(Thermostat, json));
        Assert.Equal((RejectionReasons.MalformedJson, null), (error.Reason, error.Field));
    }

    [Theory]
    [InlineData("""{"temperature":20,"temperature":21}""", RejectionReasons.DuplicateField, "temperature")]
    [InlineData("""{}""", RejectionReasons.NoFields, null)]
    [InlineData("""{"device_id":"thermo-1","data":{}}""", RejectionReasons.NoFields, null)]
    [InlineData("""{"data":{"temperature":20},"heating":true}""", RejectionReasons.UnknownField, "heating")]
    [InlineData("""{"ts":"1772366400123","temperature":20}""", RejectionReasons.InvalidTimestamp, "ts")]
    [InlineData("""{"timestamp":"yesterday","temperature":20}""", RejectionReasons.InvalidTimestamp, "timestamp")]
    [InlineData("""{"timestamp":"2300-01-01T00:00:00Z","temperature":20}""", RejectionReasons.InvalidTimestamp, "timestamp")]
    [InlineData("""{"device_id":7,"temperature":20}""", RejectionReasons.TypeMismatch, "device_id")]
    public void Structural_problems_are_refused_by_reason(string json, string reason, string? field)
    {
        var error = Assert.Single(Rejected(Thermostat, json));
        Assert.Equal((reason, field), (error.Reason, error.Field));
    }

    [Fact]
    public void A_batch_is_an_array_of_messages_whose_errors_carry_their_index()
    {
        var parsed = TelemetryParser.ParseBatch(Encoding.UTF8.GetBytes("""[{"temperature":20}, {"temperature":200}, 5]"""), Thermostat, ReceivedAt);

        Assert.Single(parsed.Messages);
        Assert.Equal(["[1].temperature", "[2]"], parsed.Errors.Select(e => e.Path));
        Assert.Equal([RejectionReasons.OutOfRange, RejectionReasons.MalformedJson], parsed.Errors.Select(e => e.Reason));
    }

    private static ValidatedTelemetry Accepted(DeviceProfile device, string json)
    {
        var parsed = TelemetryParser.ParseMessage(Encoding.UTF8.GetBytes(json), device, ReceivedAt);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => e.Detail)));
        return Assert.Single(parsed.Messages);
    }

    private static List<TelemetryError> Rejected(DeviceProfile device, string json)
    {
        var parsed = TelemetryParser.ParseMessage(Encoding.UTF8.GetBytes(json), device, ReceivedAt);
        Assert.Empty(parsed.Messages);
        return parsed.Errors;
    }

    private static DeviceProfile Profile(string yaml) =>
        DeviceProfile.From(KubernetesJson.Deserialize<Device>(ManifestReader.Read(yaml, "test").Single().Content.ToJsonString()));
}
