namespace Iot.Rules.Actions;

/// <summary>
/// What a publish action sends: the rule's verdict with the triggering message, as JSON
/// <c>{"rule","device","room","status":"firing"|"resolved","value","timestamp","data":{fields}}</c>.
/// </summary>
/// <param name="Rule">The EdgeRule.</param>
/// <param name="Device">The device the verdict is about.</param>
/// <param name="Topic">The action's topic with its placeholders filled in.</param>
/// <param name="Payload">The UTF-8 JSON payload.</param>
public sealed record RulePublication(string Rule, string Device, string Topic, byte[] Payload);
