using System.ComponentModel.DataAnnotations;

namespace Iot.Api.EdgeRules;

/// <summary>Republishes the triggering message, with the rule's verdict, to an MQTT topic.</summary>
public sealed class PublishAction
{
    /// <summary>The topic; placeholders {device}, {room} and {rule} are filled in. No wildcards, not under _iot/ or devices/.</summary>
    [Required]
    [MaxLength(512)]
    public string Topic { get; set; } = string.Empty;
}
