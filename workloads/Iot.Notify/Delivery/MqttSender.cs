using System.Text;

using Iot.Api.AlertRoutes;
using Iot.Notify.Mqtt;

namespace Iot.Notify.Delivery;

/// <summary>Publishes the <see cref="NotificationPayload"/> JSON to the receiver's topic at QoS 1, through notify's own broker connection.</summary>
public sealed class MqttSender(MqttConnection connection) : INotificationSender
{
    /// <inheritdoc />
    public string ReceiverType => "mqtt";

    /// <inheritdoc />
    public async Task SendAsync(Receiver receiver, NotificationPayload payload, string payloadJson, CancellationToken cancellationToken)
    {
        var mqtt = receiver.Mqtt ?? throw new DeliveryException($"receiver {receiver.Name} is not an mqtt receiver");
        try
        {
            await connection.PublishAsync(mqtt.Topic, Encoding.UTF8.GetBytes(payloadJson), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new DeliveryException(e.Message, e);
        }
    }
}
