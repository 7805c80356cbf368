using Iot.Api.EdgeRules;
using Iot.Rules.Engine;

namespace Iot.Rules.Actions;

/// <summary>One compiled action of a rule; steps run in the order the rule lists them.</summary>
internal abstract class ActionStep
{
    public abstract void Run(in Transition transition, RuleRuntime runtime);

    public static ActionStep Compile(RuleAction action, string path) => action switch
    {
        { Alert: { } alert, Command: null, Publish: null } => new AlertStep(alert),
        { Command: { } command, Alert: null, Publish: null } => new CommandStep(command),
        { Publish: { } publish, Alert: null, Command: null } => new PublishStep(publish),
        _ => throw new FormatException($"{path} must set exactly one of alert, command or publish"),
    };
}
