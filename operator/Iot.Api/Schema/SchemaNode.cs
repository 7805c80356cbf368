using System.Text.Json;
using System.Text.RegularExpressions;

namespace Iot.Api.Schema;

/// <summary>
/// One compiled, immutable schema node. Values that end up in objects (defaults) or are compared with them (enums) are kept
/// as <see cref="JsonElement"/>s, which are safe to read from many threads, unlike lazily materialized JSON nodes.
/// </summary>
internal sealed class SchemaNode
{
    public static readonly SchemaNode AcceptsAnything = new();

    /// <summary>The declared <c>type</c>, or null when none is declared (int-or-string, preserve-unknown-fields, junctors).</summary>
    public string? Type { get; init; }

    public bool Nullable { get; init; }

    /// <summary>Property schemas in schema order; defaults are applied in this order.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>> PropertyList { get; init; } = [];

    public IReadOnlyDictionary<string, SchemaNode> Properties { get; init; } = new Dictionary<string, SchemaNode>();

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>The schema of map values (<c>additionalProperties: {...}</c>).</summary>
    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary><c>additionalProperties: true</c>: any member is allowed and kept as it is.</summary>
    public bool AdditionalPropertiesAllowAny { get; init; }

    public SchemaNode? Items { get; init; }

    public JsonElement? Default { get; init; }

    public IReadOnlyList<JsonElement>? Enum { get; init; }

    public Regex? Pattern { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public JsonNumber? Minimum { get; init; }

    public JsonNumber? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public JsonNumber? MultipleOf { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public string? Format { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public bool IntOrString { get; init; }

    public bool EmbeddedResource { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic (or null), set or map.</summary>
    public string? ListType { get; init; }

    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    public IReadOnlyList<SchemaNode> AllOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> AnyOf { get; init; } = [];

    public IReadOnlyList<SchemaNode> OneOf { get; init; } = [];

    public SchemaNode? Not { get; init; }

    /// <summary>Whether a value of this node must be an object for properties and additionalProperties to apply.</summary>
    public bool DescribesObjects => Type is "object" || (Type is null && !IntOrString);

    /// <summary>Whether a value of this node may be an array whose items follow <see cref="Items"/>.</summary>
    public bool DescribesArrays => Type is "array" || (Type is null && !IntOrString);

    /// <summary>Whether the node constrains the JSON type of its value (and so rejects null unless nullable).</summary>
    public bool ConstrainsType => Type is not null || IntOrString;
}
