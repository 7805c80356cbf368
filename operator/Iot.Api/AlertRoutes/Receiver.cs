using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;
using Iot.Api.Crds;

namespace Iot.Api.AlertRoutes;

/// <summary>A named destination for notifications: exactly one of webhook, slack, email or mqtt.</summary>
[ExactlyOneOf(nameof(Webhook), nameof(Slack), nameof(Email), nameof(Mqtt))]
public sealed class Receiver
{
    /// <summary>The receiver's name, unique within the route; shown in delivery history.</summary>
    [Required]
    [RegularExpression(Names.DnsLabelPattern)]
    public string Name { get; set; } = string.Empty;

    /// <summary>POST a JSON body to a URL.</summary>
    public WebhookReceiver? Webhook { get; set; }

    /// <summary>Post to a Slack incoming webhook.</summary>
    public SlackReceiver? Slack { get; set; }

    /// <summary>Send an email over SMTP.</summary>
    public EmailReceiver? Email { get; set; }

    /// <summary>Publish to an MQTT topic on the platform's broker.</summary>
    public MqttReceiver? Mqtt { get; set; }
}
