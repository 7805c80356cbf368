namespace Iot.Broker.SharedSubscriptions;

/// <summary>A shared subscription <c>$share/&lt;group&gt;/&lt;filter&gt;</c> (MQTT 5 §4.8.2), split into its group and filter.</summary>
public sealed record SharedFilter(string Group, string Filter)
{
    /// <summary>The prefix of shared subscriptions.</summary>
    public const string Prefix = "$share/";

    /// <summary>Parses <paramref name="topicFilter"/>; false when it is not a well-formed shared subscription.</summary>
    public static bool TryParse(string topicFilter, out SharedFilter shared)
    {
        shared = null!;
        if (!topicFilter.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = topicFilter.IndexOf('/', Prefix.Length);
        if (slash <= Prefix.Length || slash == topicFilter.Length - 1)
        {
            return false;
        }

        var group = topicFilter[Prefix.Length..slash];
        if (group.Contains('+', StringComparison.Ordinal) || group.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        shared = new SharedFilter(group, topicFilter[(slash + 1)..]);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Prefix}{Group}/{Filter}";
}
