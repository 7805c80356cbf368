using System.Buffers;
using System.Text.Json;

using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Rules.Engine;

namespace Iot.Rules.Actions;

/// <summary><c>publish</c>: the rule's verdict with the triggering message, on firing and on resolving (see <see cref="RulePublication"/>).</summary>
internal sealed class PublishStep(PublishAction action) : ActionStep
{
    private readonly PlaceholderTemplate _topic = PlaceholderTemplate.Parse(action.Topic);

    public override void Run(in Transition transition, RuleRuntime runtime)
    {
        var device = transition.Device;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("rule", transition.Rule);
            json.WriteString("device", device.Id);
            if (device.Room is { } room)
            {
                json.WriteString("room", room);
            }

            json.WriteString("status", transition.Firing ? "firing" : "resolved");
            if (transition.Value is { } value && double.IsFinite(value))
            {
                json.WriteNumber("value", value);
            }

            json.WriteString("timestamp", new DateTime(transition.Now, DateTimeKind.Utc));
            json.WriteStartObject("data");
            foreach (var field in transition.Fields.Span)
            {
                switch (field.Value.Kind)
                {
                    case TelemetryType.Boolean:
                        json.WriteBoolean(field.Name, field.Value.AsBoolean);
                        break;
                    case TelemetryType.String:
                        json.WriteString(field.Name, field.Value.AsString);
                        break;
                    case TelemetryType.Integer:
                        json.WriteNumber(field.Name, field.Value.AsInteger);
                        break;
                    case TelemetryType.Number when double.IsFinite(field.Value.AsNumber):
                        json.WriteNumber(field.Name, field.Value.AsNumber);
                        break;
                    default:
                        json.WriteNull(field.Name);
                        break;
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        runtime.Sink.Publish(new RulePublication(transition.Rule, device.Id, transition.Render(_topic), buffer.WrittenSpan.ToArray()));
    }
}
