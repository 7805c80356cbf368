using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.AlertRoutes;

/// <summary>Posts each notification to a Slack incoming webhook.</summary>
public sealed class SlackReceiver
{
    /// <summary>A Secret key holding the incoming-webhook URL (it is a credential).</summary>
    [Required]
    public SecretKeySelector UrlSecretRef { get; set; } = new();

    /// <summary>Channel override, e.g. #ops.</summary>
    public string? Channel { get; set; }

    /// <summary>Username override.</summary>
    public string? Username { get; set; }
}
