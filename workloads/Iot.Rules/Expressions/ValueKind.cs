namespace Iot.Rules.Expressions;

/// <summary>The runtime kinds of expression values; <see cref="Error"/> carries why evaluation failed.</summary>
internal enum ValueKind : byte
{
    Error,
    Boolean,
    Integer,
    Number,
    String,

    /// <summary>map&lt;string, string&gt;: <c>device.labels</c>.</summary>
    Map,
    List,
}
