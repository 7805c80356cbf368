using Iot.Api.AlertRoutes;

namespace Iot.Notify.Delivery;

/// <summary>Delivers a notification to one kind of receiver; throws with a message saying what failed.</summary>
public interface INotificationSender
{
    /// <summary>webhook, slack, email or mqtt.</summary>
    string ReceiverType { get; }

    Task SendAsync(Receiver receiver, NotificationPayload payload, string payloadJson, CancellationToken cancellationToken);
}

/// <summary>A delivery that failed for a reason worth recording as the notification's last error.</summary>
public sealed class DeliveryException(string message, Exception? inner = null) : Exception(message, inner);
