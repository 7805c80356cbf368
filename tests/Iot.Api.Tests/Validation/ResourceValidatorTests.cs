using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Api.Validation;

namespace Iot.Api.Tests.Validation;

public sealed class ResourceValidatorTests
{
    private static IReadOnlyList<string> Errors<T>(string yaml) where T : k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        [.. ResourceValidator.Validate(Yaml.Parse<T>(yaml)).Select(e => e.ToString())];

    [Fact]
    public void A_valid_device_has_no_errors() => Assert.Empty(Errors<Device>("""
        metadata: {name: thermo-1}
        spec:
          type: thermostat
          telemetry: [{name: temperature, type: number, min: -40, max: 125}, {name: door, type: boolean}]
          heartbeat: {timeout: 2m}
          commands: [setpoint, reboot]
        """));

    [Fact]
    public void Device_telemetry_field_names_must_be_unique() => Assert.Equal(
        ["spec.telemetry[1].name: duplicate telemetry field \"temperature\""],
        Errors<Device>("metadata: {name: t}\nspec: {type: t, telemetry: [{name: temperature, type: number}, {name: temperature, type: integer}]}"));

    [Fact]
    public void Device_min_above_max_and_min_on_a_boolean_are_errors() => Assert.Equal(
        ["spec.telemetry[0].min: min (10) is greater than max (5)", "spec.telemetry[1].min: min and max apply to number and integer fields only; \"door\" is boolean"],
        Errors<Device>("metadata: {name: t}\nspec: {type: t, telemetry: [{name: a, type: number, min: 10, max: 5}, {name: door, type: boolean, min: 0}]}"));

    [Fact]
    public void Device_name_must_be_a_DNS_label_because_it_becomes_a_topic_segment() =>
        Assert.StartsWith("metadata.name: \"Thermo_1\" must be a lowercase RFC 1123 label", Errors<Device>("metadata: {name: Thermo_1}\nspec: {type: t}").Single(), StringComparison.Ordinal);

    [Fact]
    public void Device_heartbeat_timeout_must_be_a_duration() =>
        Assert.Equal(["spec.heartbeat.timeout: " + Iot.Api.Common.Duration.Describe("2 minutes")], Errors<Device>("metadata: {name: t}\nspec: {type: t, heartbeat: {timeout: 2 minutes}}"));

    [Fact]
    public void Room_rollups_must_be_finest_first_and_kept_at_least_as_long_as_raw() => Assert.Equal(
        [
            "spec.retention.rollups[1].every: rollups must be finest first: 5m is not larger than the previous rollup's 1h",
            "spec.retention.rollups[1].keep: a rollup must be kept at least as long as raw points (7d), else it holds nothing raw data does not; got 1d",
        ],
        Errors<Room>("metadata: {name: r}\nspec: {retention: {raw: 7d, rollups: [{every: 1h, keep: 90d}, {every: 5m, keep: 1d}]}}"));

    [Fact]
    public void EdgeRule_with_two_condition_kinds_names_them_all() => Assert.Equal(
        ["spec.condition: exactly one of threshold, window, absence, rateOfChange, anomaly or expression must be set, 2 are"],
        Errors<EdgeRule>("""
            metadata: {name: r}
            spec:
              selector: {}
              condition: {threshold: {field: t, operator: ">", value: 1}, absence: {for: 5m}}
              actions: [{alert: {severity: info}}]
            """));

    [Fact]
    public void EdgeRule_action_with_no_kind_is_an_error() => Assert.Equal(
        ["spec.actions[0]: exactly one of alert, command or publish must be set, none is"],
        Errors<EdgeRule>("metadata: {name: r}\nspec: {selector: {}, condition: {absence: {for: 5m}}, actions: [{}]}"));

    [Fact]
    public void EdgeRule_expression_syntax_error_reports_its_column() =>
        Assert.Equal("spec.condition.expression: column 15: expected expression but found ')'", Errors<EdgeRule>("""
            metadata: {name: r}
            spec: {selector: {}, condition: {expression: 'temperature > ) 3'}, actions: [{alert: {severity: info}}]}
            """).Single());

    [Fact]
    public void EdgeRule_window_advance_may_not_exceed_its_size() => Assert.Equal(
        ["spec.condition.window.advance: advance (10m) must not exceed size (5m); omit it for tumbling windows"],
        Errors<EdgeRule>("""
            metadata: {name: r}
            spec:
              selector: {}
              condition: {window: {field: co2, function: mean, size: 5m, advance: 10m, operator: ">", value: 1}}
              actions: [{alert: {severity: info}}]
            """));

    [Fact]
    public void EdgeRule_may_not_publish_to_platform_topics() => Assert.StartsWith(
        "spec.actions[0].publish.topic: \"_iot/alerts/x\" is reserved",
        Errors<EdgeRule>("metadata: {name: r}\nspec: {selector: {}, condition: {absence: {for: 5m}}, actions: [{publish: {topic: _iot/alerts/x}}]}").Single(),
        StringComparison.Ordinal);

    [Fact]
    public void AlertRoute_malformed_matcher_is_reported_with_its_index() => Assert.Equal(
        ["spec.matchers[1]: invalid matcher 'room=\"lab-1': column 6: unterminated quoted value"],
        Errors<AlertRoute>("""
            metadata: {name: r}
            spec: {matchers: ['severity="critical"', 'room="lab-1'], receivers: [{name: a, mqtt: {topic: alerts/ops}}]}
            """));

    [Fact]
    public void AlertRoute_receiver_needs_exactly_one_type_and_a_unique_name() => Assert.Equal(
        [
            "spec.receivers[1].name: duplicate receiver name \"a\"",
            "spec.receivers[0]: exactly one of webhook, slack, email or mqtt must be set, 2 are",
        ],
        Errors<AlertRoute>("""
            metadata: {name: r}
            spec:
              receivers:
                - {name: a, mqtt: {topic: x}, webhook: {url: 'http://h/x'}}
                - {name: a, mqtt: {topic: y}}
            """).Order(StringComparer.Ordinal).Reverse());

    [Fact]
    public void AlertRoute_mute_intervals_check_weekdays_and_time_zones() => Assert.Equal(
        [
            "spec.muteTimeIntervals[0].weekdays[0]: \"funday\" is not a weekday or range (e.g. saturday, monday:friday); days: sunday, monday, tuesday, wednesday, thursday, friday, saturday",
            "spec.muteTimeIntervals[0].location: \"Mars/Olympus\" is not a known IANA time zone (e.g. UTC, Europe/Berlin)",
        ],
        Errors<AlertRoute>("""
            metadata: {name: r}
            spec:
              receivers: [{name: a, mqtt: {topic: x}}]
              muteTimeIntervals: [{weekdays: [funday, 'monday:friday'], location: Mars/Olympus}]
            """));
}
