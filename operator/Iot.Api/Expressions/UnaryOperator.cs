namespace Iot.Api.Expressions;

/// <summary>The prefix operators.</summary>
public enum UnaryOperator
{
    /// <summary><c>!</c>: boolean negation.</summary>
    Not,

    /// <summary><c>-</c>: arithmetic negation.</summary>
    Negate,
}
