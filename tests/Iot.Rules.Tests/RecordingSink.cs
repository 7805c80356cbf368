using Iot.Api.Alerts;
using Iot.Rules.Actions;

namespace Iot.Rules.Tests;

/// <summary>Keeps every action the engine takes, in order.</summary>
internal sealed class RecordingSink : IRuleActionSink
{
    public List<AlertEvent> Alerts { get; } = [];

    public List<RuleCommand> Commands { get; } = [];

    public List<RulePublication> Publications { get; } = [];

    public int Count => Alerts.Count + Commands.Count + Publications.Count;

    public void Alert(AlertEvent alert) => Alerts.Add(alert);

    public void Command(RuleCommand command) => Commands.Add(command);

    public void Publish(RulePublication publication) => Publications.Add(publication);
}
