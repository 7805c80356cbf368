using Iot.Api.Crds;

namespace Iot.Api.EdgeRules;

/// <summary>One action of a rule: exactly one of alert, command or publish.</summary>
[ExactlyOneOf(nameof(Alert), nameof(Command), nameof(Publish))]
public sealed class RuleAction
{
    /// <summary>Raise an alert (fingerprint = rule + device), resolved when the rule clears.</summary>
    public AlertAction? Alert { get; set; }

    /// <summary>Send a command to a device.</summary>
    public CommandAction? Command { get; set; }

    /// <summary>Republish the triggering message (with the rule's verdict) to a topic.</summary>
    public PublishAction? Publish { get; set; }
}
