using System.ComponentModel.DataAnnotations;

namespace Iot.Api.AlertRoutes;

/// <summary>Publishes each notification to a topic on the platform's broker (QoS 1).</summary>
public sealed class MqttReceiver
{
    /// <summary>The topic; no wildcards, not under _iot/ or devices/.</summary>
    [Required]
    [MaxLength(512)]
    public string Topic { get; set; } = string.Empty;
}
