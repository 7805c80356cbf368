namespace Iot.Api.Expressions;

/// <summary>The kinds of <see cref="ExprType"/>.</summary>
internal enum ExprTypeKind
{
    Integer,
    Number,
    Boolean,
    String,

    /// <summary>map&lt;string, string&gt;: <c>device.labels</c>.</summary>
    StringMap,
    List,
    Dyn,

    /// <summary>The type of an expression already reported as wrong.</summary>
    Error,
}
