using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.AlertRoutes;

/// <summary>Sends each notification as an email over SMTP.</summary>
public sealed class EmailReceiver
{
    /// <summary>Recipient addresses.</summary>
    [Required]
    [MinLength(1)]
    public List<string> To { get; set; } = [];

    /// <summary>Sender address.</summary>
    [Required]
    public string From { get; set; } = string.Empty;

    /// <summary>The SMTP server as host:port; port 465 uses TLS, other ports STARTTLS when offered.</summary>
    [Required]
    [RegularExpression("^[^:\\s]+:[0-9]{1,5}$")]
    public string Smarthost { get; set; } = string.Empty;

    /// <summary>A Secret with keys username and password for SMTP authentication.</summary>
    public SecretReference? AuthSecretRef { get; set; }

    /// <summary>Refuse to send unless the connection is encrypted.</summary>
    public bool? RequireTls { get; set; }
}
