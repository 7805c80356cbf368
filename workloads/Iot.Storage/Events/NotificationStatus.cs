namespace Iot.Storage.Events;

/// <summary>Where a notification is in the outbox: waiting for a (next) attempt, delivered, or given up on.</summary>
public enum NotificationStatus
{
    Pending,
    Delivered,
    Failed,
}
