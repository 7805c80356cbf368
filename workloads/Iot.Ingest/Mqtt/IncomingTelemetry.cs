using MQTTnet;

namespace Iot.Ingest.Mqtt;

/// <summary>A telemetry message from the broker, waiting to be validated and stored, then acknowledged.</summary>
/// <param name="Device">The device id of the topic.</param>
/// <param name="Payload">The payload; only its first bytes when it is larger than allowed.</param>
/// <param name="Length">The payload's full length.</param>
/// <param name="ReceivedAt">When ingest received it.</param>
/// <param name="Delivery">The delivery to acknowledge once the message is stored (or rejected).</param>
/// <param name="Connection">Which connection it came on: an acknowledgement is sent only on that one.</param>
internal readonly record struct IncomingTelemetry(string Device, byte[] Payload, int Length, DateTimeOffset ReceivedAt, MqttApplicationMessageReceivedEventArgs Delivery, int Connection);
