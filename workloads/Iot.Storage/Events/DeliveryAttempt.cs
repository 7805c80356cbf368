namespace Iot.Storage.Events;

/// <summary>One attempt to deliver a notification, successful or not.</summary>
public sealed record DeliveryAttempt(string NotificationId, int Attempt, DateTimeOffset At, TimeSpan Duration, bool Succeeded, string? Error);
