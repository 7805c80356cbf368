using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

using Iot.Api.Common;
using Iot.Api.Crds;

namespace Iot.Api.EdgeRules;

/// <summary>Sends a command to a device on its command topic.</summary>
public sealed class CommandAction
{
    /// <summary>The target Device's name, or <c>self</c> for the device whose telemetry fired the rule.</summary>
    [Required]
    [RegularExpression(Names.DnsLabelPattern)]
    public string Device { get; set; } = string.Empty;

    /// <summary>The command name; the target Device must list it in spec.commands.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]+$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The command's payload, any JSON object, sent as is.</summary>
    [PreserveUnknownFields]
    public JsonObject? Payload { get; set; }
}
