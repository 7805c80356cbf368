namespace Iot.Api.Expressions;

/// <summary>The infix operators, from lowest to highest precedence.</summary>
public enum BinaryOperator
{
    /// <summary><c>||</c>: boolean or.</summary>
    Or,

    /// <summary><c>&amp;&amp;</c>: boolean and.</summary>
    And,

    /// <summary><c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>in</c>: membership of an element in a list, or of a key in <c>device.labels</c>.</summary>
    In,

    /// <summary><c>+</c>: addition, or concatenation of strings.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>: division; the result is always a number, even for two integers.</summary>
    Divide,

    /// <summary><c>%</c>: remainder.</summary>
    Remainder,
}
