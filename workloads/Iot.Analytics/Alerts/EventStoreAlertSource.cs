using Iot.Storage.Events;

using Microsoft.Extensions.Options;

namespace Iot.Analytics.Alerts;

/// <summary>
/// Alert counts from notify's event store (<see cref="IEventStore"/>, read only; notify owns its schema): active = the
/// namespace's alerts whose latest state is firing; fired in a period = its <c>alert.firing</c> events then, by the
/// alert's room. Durable, unlike <see cref="MqttActiveAlertSource"/>, but needs notify to run in the namespace.
/// </summary>
public sealed class EventStoreAlertSource(IEventStore store, IOptions<AnalyticsOptions> options) : IActiveAlertSource
{
    // Far above any real number of alerts of one namespace: the store lists alerts in pages of a limit.
    private const int AllAlerts = 1_000_000;
    private const int EventPage = 1_000;

    private readonly string ns = options.Value.Namespace;

    /// <inheritdoc/>
    public string Name => "notify";

    /// <inheritdoc/>
    public async ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default) =>
        (await store.ListAlertsAsync(new AlertQuery { Status = "firing", Limit = AllAlerts }, cancellationToken)).Count(a => a.Namespace == ns);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rooms = (await store.ListAlertsAsync(new AlertQuery { Limit = AllAlerts }, cancellationToken))
            .Where(a => a.Namespace == ns)
            .ToDictionary(a => a.Fingerprint, a => a.Room ?? "", StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        long? before = null;
        do
        {
            var page = await store.QueryEventsAsync(new EventQuery { From = from, To = to, Type = "alert.firing", Limit = EventPage, Before = before }, cancellationToken);
            foreach (var fired in page.Events)
            {
                if (fired.Fingerprint is { } fingerprint && rooms.TryGetValue(fingerprint, out var room))
                {
                    counts[room] = counts.GetValueOrDefault(room) + 1;
                }
            }

            before = page.Next;
        }
        while (before is not null);

        return counts;
    }
}
