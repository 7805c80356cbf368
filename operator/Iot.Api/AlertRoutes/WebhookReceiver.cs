using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.AlertRoutes;

/// <summary>POSTs each notification as JSON to a URL.</summary>
public sealed class WebhookReceiver
{
    /// <summary>The http or https URL.</summary>
    [Required]
    [RegularExpression("^https?://.+")]
    public string Url { get; set; } = string.Empty;

    /// <summary>A Secret key holding a bearer token sent in the Authorization header.</summary>
    public SecretKeySelector? TokenSecretRef { get; set; }

    /// <summary>How long to wait for the receiver to answer (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("10s")]
    public string? Timeout { get; set; }
}
