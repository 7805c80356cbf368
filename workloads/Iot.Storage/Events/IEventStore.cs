namespace Iot.Storage.Events;

/// <summary>
/// Notify's history and outbox: alerts, notifications and their delivery attempts, events, silences and the
/// notification log of aggregation groups. PostgreSQL in production, SQLite embedded; both apply their versioned
/// migrations in <see cref="MigrateAsync"/>. Writes that belong together (a state change and its event) are one transaction.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Brings the schema to the latest version; safe to call from several processes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version applied (0 before <see cref="MigrateAsync"/>).</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);

    Task<StoredAlert?> GetAlertAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the alert and appends <paramref name="transition"/>, if given.</summary>
    Task SaveAlertAsync(StoredAlert alert, EventRecord? transition, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records who acknowledged the alert; false if there is no such alert.</summary>
    Task<bool> AcknowledgeAsync(string fingerprint, string by, string? comment, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Puts a pending notification in the outbox and appends <paramref name="queued"/>.</summary>
    Task EnqueueAsync(NotificationRecord notification, EventRecord queued, CancellationToken cancellationToken = default);

    Task<NotificationRecord?> GetNotificationAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every pending notification, earliest due first.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListPendingAsync(CancellationToken cancellationToken = default);

    Task<int> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Records an attempt, the notification's new state (<paramref name="updated"/>) and its <paramref name="outcome"/> event together.</summary>
    Task RecordAttemptAsync(DeliveryAttempt attempt, NotificationRecord updated, EventRecord outcome, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string notificationId, CancellationToken cancellationToken = default);

    Task AppendEventAsync(EventRecord record, CancellationToken cancellationToken = default);

    Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    Task AddSilenceAsync(SilenceRecord silence, EventRecord created, CancellationToken cancellationToken = default);

    /// <summary>Ends the silence at <paramref name="at"/>; false if there is no such silence or it already ended.</summary>
    Task<bool> ExpireSilenceAsync(string id, DateTimeOffset at, EventRecord expired, CancellationToken cancellationToken = default);

    /// <summary>Silences that have not ended by <paramref name="at"/>.</summary>
    Task<IReadOnlyList<SilenceRecord>> ListSilencesAsync(DateTimeOffset at, CancellationToken cancellationToken = default);

    Task SaveGroupLogAsync(GroupLogEntry entry, CancellationToken cancellationToken = default);

    Task DeleteGroupLogAsync(string groupKey, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<GroupLogEntry>> ListGroupLogsAsync(CancellationToken cancellationToken = default);
}
