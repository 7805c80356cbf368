namespace Iot.Rules.Engine;

/// <summary>
/// The rules that may select a device: those requiring a label the device has with the required value, and those that
/// require no label. Matching a device against every rule would cost one selector per rule; with selectors by label,
/// as fleets are usually partitioned, this visits only the few that can match. Candidates are still matched in full.
/// </summary>
internal sealed class RuleCandidates
{
    private readonly Dictionary<string, Dictionary<string, List<CompiledRule>>> _byLabel = new(StringComparer.Ordinal);
    private readonly List<CompiledRule> _unlabelled = [];

    public RuleCandidates(IEnumerable<CompiledRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Selector.RequiredLabel is not { } label)
            {
                _unlabelled.Add(rule);
                continue;
            }

            if (!_byLabel.TryGetValue(label.Key, out var byValue))
            {
                _byLabel[label.Key] = byValue = new(StringComparer.Ordinal);
            }

            if (!byValue.TryGetValue(label.Value, out var list))
            {
                byValue[label.Value] = list = [];
            }

            list.Add(rule);
        }
    }

    public IEnumerable<CompiledRule> For(DeviceInfo device)
    {
        foreach (var rule in _unlabelled)
        {
            yield return rule;
        }

        foreach (var (key, value) in device.Labels)
        {
            if (_byLabel.TryGetValue(key, out var byValue) && byValue.TryGetValue(value, out var rules))
            {
                foreach (var rule in rules)
                {
                    yield return rule;
                }
            }
        }
    }
}
