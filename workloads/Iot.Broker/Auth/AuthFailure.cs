namespace Iot.Broker.Auth;

/// <summary>Why a connection was refused; the values are the <c>reason</c> label of <c>iot_broker_auth_failures_total</c>.</summary>
public static class AuthFailure
{
    /// <summary>No Device with that id.</summary>
    public const string UnknownDevice = "unknown_device";

    /// <summary>The password does not match the hash.</summary>
    public const string BadPassword = "bad_password";

    /// <summary>The Device is disabled.</summary>
    public const string Disabled = "disabled";

    /// <summary>The Device has no credentials issued yet.</summary>
    public const string NoCredentials = "no_credentials";

    /// <summary>The client id is not the device id.</summary>
    public const string ClientIdMismatch = "client_id_mismatch";

    /// <summary>The certificate is missing, untrusted, or its CN is not a certificate-mode device.</summary>
    public const string Certificate = "certificate";

    /// <summary>The internal credentials are wrong.</summary>
    public const string Internal = "internal";
}
