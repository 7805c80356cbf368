namespace Iot.Analytics.Alerts;

/// <summary>Alert counts for the summary and reports (the rule engine raises alerts; notify keeps them).</summary>
public interface IActiveAlertSource
{
    /// <summary>A short name of the source, shown in reports (<c>none</c>, <c>mqtt</c>, …).</summary>
    string Name { get; }

    /// <summary>Alerts firing now (fired and not resolved).</summary>
    ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Alerts that started firing in [<paramref name="from"/>, <paramref name="to"/>), by room ("" for devices without a room).</summary>
    ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
