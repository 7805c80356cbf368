namespace Iot.Analytics.Live;

/// <summary>Something analytics keeps from the broker: a topic filter to subscribe to and what to do with each message.</summary>
public interface IMqttMessageHandler
{
    /// <summary>The topic filter subscribed to (a shared subscription <c>$share/&lt;group&gt;/&lt;filter&gt;</c> is allowed).</summary>
    string Filter { get; }

    /// <summary>Handles one message; called one message at a time, so it must be quick (no I/O).</summary>
    void Handle(string topic, ReadOnlyMemory<byte> payload);
}
