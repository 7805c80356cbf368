using MQTTnet;

namespace Iot.Devices.Client;

/// <summary>The broker refused the device (see <see cref="ResultCode"/>) or could not be reached.</summary>
public sealed class DeviceConnectionException : Exception
{
    /// <summary>An exception with <paramref name="message"/>.</summary>
    public DeviceConnectionException(string message, MqttClientConnectResultCode? resultCode, Exception? inner)
        : base(message, inner) => ResultCode = resultCode;

    /// <summary>An exception with no details.</summary>
    public DeviceConnectionException()
    {
    }

    /// <summary>An exception with <paramref name="message"/>.</summary>
    public DeviceConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public DeviceConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The broker's answer (e.g. BadUserNameOrPassword, NotAuthorized); null when it could not be reached.</summary>
    public MqttClientConnectResultCode? ResultCode { get; }
}
