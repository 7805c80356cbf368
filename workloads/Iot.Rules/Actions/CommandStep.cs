using Iot.Api.EdgeRules;
using Iot.Rules.Engine;
using Iot.Rules.Metrics;

namespace Iot.Rules.Actions;

/// <summary>
/// <c>command</c>: when the rule fires, a command to the target device (<c>self</c>: the device that fired it), only if
/// that Device is known and lists the command in spec.commands. Otherwise nothing is sent: the refusal is counted
/// (<c>command_not_declared</c>) and kept as the rule's last problem.
/// </summary>
internal sealed class CommandStep(CommandAction action) : ActionStep
{
    private const string Self = "self";

    private readonly string _payloadJson = action.Payload?.ToJsonString() ?? "{}";

    public override void Run(in Transition transition, RuleRuntime runtime)
    {
        if (!transition.Firing)
        {
            return;
        }

        var target = action.Device == Self ? transition.Device
            : runtime.Devices.TryGetValue(action.Device, out var slot) ? slot.Info
            : null;
        var rule = transition.Binding.Rule;
        if (target is null)
        {
            rule.Counters.Problem(RuleErrorReason.CommandNotDeclared,
                $"command \"{action.Name}\" not sent: Device \"{action.Device}\" does not exist in namespace {rule.Namespace}");
            return;
        }

        if (!target.Commands.Contains(action.Name))
        {
            var declared = target.Commands.Count == 0 ? "none" : string.Join(", ", target.Commands.Order(StringComparer.Ordinal));
            rule.Counters.Problem(RuleErrorReason.CommandNotDeclared,
                $"command \"{action.Name}\" not sent: Device \"{target.Id}\" does not declare it; its commands: {declared}");
            return;
        }

        runtime.Sink.Command(new RuleCommand(rule.Name, transition.Device.Id, target.Id, action.Name, _payloadJson));
    }
}
