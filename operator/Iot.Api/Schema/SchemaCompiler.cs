using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Iot.Api.Validation;

namespace Iot.Api.Schema;

/// <summary>
/// Turns an <c>openAPIV3Schema</c> into a tree of <see cref="SchemaNode"/>s and collects every way in which it is not a
/// structural schema the API server would accept, using the API server's rules and messages where it has them.
/// Paths are <c>openAPIV3Schema.properties.spec.properties.foo.type</c> (see <see cref="FieldPath"/> for member names).
/// </summary>
internal sealed class SchemaCompiler
{
    public const string RootPath = "openAPIV3Schema";

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private static readonly string[] KnownTypes = ["array", "boolean", "integer", "number", "object", "string"];

    private static readonly string[] KnownListTypes = ["atomic", "map", "set"];

    // JSON Schema keywords the API server rejects in CRD schemas; silently ignoring them would accept values it refuses.
    private static readonly string[] UnsupportedKeywords = ["$ref", "patternProperties", "dependencies", "additionalItems", "definitions"];

    private readonly List<FieldError> _errors = [];

    private readonly List<(SchemaNode Node, string Path)> _defaults = [];

    private SchemaCompiler()
    {
    }

    private enum Level
    {
        Root,
        Field,
        Item,
    }

    public static (SchemaNode Root, IReadOnlyList<FieldError> Errors) Compile(JsonNode openApiV3Schema)
    {
        var compiler = new SchemaCompiler();
        var root = compiler.CompileNode(openApiV3Schema, RootPath, Level.Root, inJunctor: false, typeAllowedInJunctor: false);
        compiler.CheckDefaults();
        return (root, compiler._errors);
    }

    private SchemaNode CompileNode(JsonNode? json, string path, Level level, bool inJunctor, bool typeAllowedInJunctor)
    {
        if (json is not JsonObject schema)
        {
            Invalid(path, json, "must be a schema object");
            return SchemaNode.AcceptsAnything;
        }

        foreach (var keyword in UnsupportedKeywords.Where(schema.ContainsKey))
        {
            _errors.Add(new FieldError(Child(path, keyword), $"Forbidden: {keyword} is not supported", FieldErrorKind.Forbidden));
        }

        if (inJunctor)
        {
            CheckJunctorMember(schema, path, typeAllowedInJunctor);
        }

        var type = ReadType(schema, path);
        var preserveUnknownFields = ReadPreserveUnknownFields(schema, path);
        var intOrString = ReadBool(schema, "x-kubernetes-int-or-string", path) ?? false;
        var embeddedResource = ReadBool(schema, "x-kubernetes-embedded-resource", path) ?? false;
        var (properties, propertyList) = CompileProperties(schema, path, inJunctor);
        var items = CompileItems(schema, path, inJunctor);
        var (additionalProperties, allowAny) = CompileAdditionalProperties(schema, path, level, inJunctor, properties.Count > 0);
        var intOrStringAnyOf = IsIntOrStringPair(schema["anyOf"]);

        var node = new SchemaNode
        {
            Type = type,
            Nullable = ReadBool(schema, "nullable", path) ?? false,
            Properties = properties,
            PropertyList = propertyList,
            Required = ReadStringList(schema, "required", path) ?? [],
            AdditionalProperties = additionalProperties,
            AdditionalPropertiesAllowAny = allowAny,
            Items = items,
            Default = schema["default"] is { } value ? JsonSnapshot.Take(value) : null, // default: null means no default
            Enum = ReadEnum(schema, path),
            Pattern = ReadPattern(schema, path),
            MinLength = ReadCount(schema, "minLength", path),
            MaxLength = ReadCount(schema, "maxLength", path),
            Minimum = ReadNumber(schema, "minimum", path),
            Maximum = ReadNumber(schema, "maximum", path),
            ExclusiveMinimum = ReadBool(schema, "exclusiveMinimum", path) ?? false,
            ExclusiveMaximum = ReadBool(schema, "exclusiveMaximum", path) ?? false,
            MultipleOf = ReadMultipleOf(schema, path),
            MinItems = ReadCount(schema, "minItems", path),
            MaxItems = ReadCount(schema, "maxItems", path),
            UniqueItems = ReadBool(schema, "uniqueItems", path) ?? false,
            MinProperties = ReadCount(schema, "minProperties", path),
            MaxProperties = ReadCount(schema, "maxProperties", path),
            Format = ReadString(schema, "format", path),
            PreserveUnknownFields = preserveUnknownFields,
            IntOrString = intOrString,
            EmbeddedResource = embeddedResource,
            ListType = ReadListType(schema, path),
            ListMapKeys = ReadStringList(schema, "x-kubernetes-list-map-keys", path) ?? [],
            AllOf = CompileJunctors(schema, "allOf", path, level, typeAllowed: false),
            AnyOf = CompileJunctors(schema, "anyOf", path, level, typeAllowed: intOrStringAnyOf),
            OneOf = CompileJunctors(schema, "oneOf", path, level, typeAllowed: false),
            Not = schema["not"] is { } not ? CompileNode(not, Child(path, "not"), level, inJunctor: true, typeAllowedInJunctor: false) : null,
        };

        if (!inJunctor)
        {
            CheckStructuralInvariants(schema, node, path, level);
            CheckCompleteness(node, path);
            if (node.Default is not null)
            {
                _defaults.Add((node, path));
            }
        }

        return node;
    }

    private (Dictionary<string, SchemaNode> Properties, List<KeyValuePair<string, SchemaNode>> PropertyList) CompileProperties(
        JsonObject schema, string path, bool inJunctor)
    {
        var properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        var propertyList = new List<KeyValuePair<string, SchemaNode>>();
        if (!schema.TryGetPropertyValue("properties", out var json))
        {
            return (properties, propertyList);
        }

        var propertiesPath = Child(path, "properties");
        if (json is not JsonObject members)
        {
            Invalid(propertiesPath, json, "must be an object mapping field names to schemas");
            return (properties, propertyList);
        }

        foreach (var (name, member) in members)
        {
            var memberPath = FieldPath.Member(propertiesPath, name);
            if (inJunctor && name == "metadata")
            {
                _errors.Add(new FieldError(memberPath, "Forbidden: must not be specified in a nested context", FieldErrorKind.Forbidden));
            }

            var node = CompileNode(member, memberPath, Level.Field, inJunctor, typeAllowedInJunctor: false);
            properties[name] = node;
            propertyList.Add(new(name, node));
        }

        return (properties, propertyList);
    }

    private SchemaNode? CompileItems(JsonObject schema, string path, bool inJunctor)
    {
        if (!schema.TryGetPropertyValue("items", out var json))
        {
            return null;
        }

        var itemsPath = Child(path, "items");
        if (json is JsonArray)
        {
            _errors.Add(new FieldError(itemsPath, "Forbidden: items must be a schema object and not an array", FieldErrorKind.Forbidden));
            return null;
        }

        return CompileNode(json, itemsPath, Level.Item, inJunctor, typeAllowedInJunctor: false);
    }

    private (SchemaNode? Schema, bool AllowAny) CompileAdditionalProperties(
        JsonObject schema, string path, Level level, bool inJunctor, bool hasProperties)
    {
        if (!schema.TryGetPropertyValue("additionalProperties", out var json))
        {
            return (null, false);
        }

        var additionalPath = Child(path, "additionalProperties");
        if (level == Level.Root && !inJunctor)
        {
            _errors.Add(new FieldError(additionalPath, "Forbidden: must not be used at the root", FieldErrorKind.Forbidden));
        }

        switch (json?.GetValueKind())
        {
            case JsonValueKind.True:
                return (null, true);
            case JsonValueKind.False:
                _errors.Add(new FieldError(additionalPath, "Forbidden: additionalProperties cannot be set to false; unknown fields are pruned anyway", FieldErrorKind.Forbidden));
                return (null, false);
            case JsonValueKind.Object:
                if (hasProperties)
                {
                    _errors.Add(new FieldError(additionalPath, "Forbidden: additionalProperties and properties are mutually exclusive", FieldErrorKind.Forbidden));
                }

                return (CompileNode(json, additionalPath, Level.Field, inJunctor, typeAllowedInJunctor: false), false);
            default:
                Invalid(additionalPath, json, "must be a boolean or a schema object");
                return (null, false);
        }
    }

    private IReadOnlyList<SchemaNode> CompileJunctors(JsonObject schema, string keyword, string path, Level level, bool typeAllowed)
    {
        if (!schema.TryGetPropertyValue(keyword, out var json))
        {
            return [];
        }

        var keywordPath = Child(path, keyword);
        if (json is not JsonArray members)
        {
            Invalid(keywordPath, json, "must be a list of schemas");
            return [];
        }

        return [.. members.Select((member, i) => CompileNode(member, FieldPath.Index(keywordPath, i), level, inJunctor: true, typeAllowed))];
    }

    /// <summary>
    /// Inside allOf/anyOf/oneOf/not only value validations are allowed: anything that shapes the object (type, defaults,
    /// nullability, pruning) must be stated outside, where pruning and defaulting look.
    /// </summary>
    private void CheckJunctorMember(JsonObject schema, string path, bool typeAllowed)
    {
        void Forbid(string keyword, string message) =>
            _errors.Add(new FieldError(Child(path, keyword), $"Forbidden: {message} to be structural", FieldErrorKind.Forbidden));

        bool IsSetString(string keyword) => schema[keyword] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0;
        bool IsTrue(string keyword) => schema[keyword]?.GetValueKind() == JsonValueKind.True;

        if (!typeAllowed && IsSetString("type"))
        {
            Forbid("type", "must be empty");
        }

        foreach (var keyword in new[] { "additionalProperties", "default", "x-kubernetes-list-type" }.Where(schema.ContainsKey))
        {
            Forbid(keyword, "must be undefined");
        }

        foreach (var keyword in new[] { "title", "description" }.Where(IsSetString))
        {
            Forbid(keyword, "must be empty");
        }

        if (schema["x-kubernetes-list-map-keys"] is JsonArray { Count: > 0 })
        {
            Forbid("x-kubernetes-list-map-keys", "must be empty");
        }

        var flags = new[] { "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string" };
        foreach (var keyword in flags.Where(IsTrue))
        {
            Forbid(keyword, "must be false");
        }
    }

    private void CheckStructuralInvariants(JsonObject schema, SchemaNode node, string path, Level level)
    {
        if (node.Type == "array" && node.Items is null && !schema.ContainsKey("items"))
        {
            Required(Child(path, "items"), "must be specified");
        }

        if (node.EmbeddedResource && node.Type != "object")
        {
            if (node.Type is null)
            {
                Required(Child(path, "type"), "must be object if x-kubernetes-embedded-resource is true");
            }
            else
            {
                Invalid(Child(path, "type"), node.Type, "must be object if x-kubernetes-embedded-resource is true");
            }
        }
        else if (node.Type is null && !node.IntOrString && !node.PreserveUnknownFields && IsEmptyType(schema["type"]))
        {
            Required(Child(path, "type"), level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            });
        }

        if (node.EmbeddedResource && schema.ContainsKey("additionalProperties"))
        {
            _errors.Add(new FieldError(Child(path, "additionalProperties"), "Forbidden: must not be used if x-kubernetes-embedded-resource is set", FieldErrorKind.Forbidden));
        }

        if (node.EmbeddedResource && !node.PreserveUnknownFields && node.Properties.Count == 0)
        {
            Required(Child(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields");
        }

        if (level == Level.Root && node.Type is not null && node.Type != "object")
        {
            Invalid(Child(path, "type"), node.Type, "must be object at the root");
        }

        if (node.IntOrString && node.PreserveUnknownFields)
        {
            Invalid(Child(path, "x-kubernetes-preserve-unknown-fields"), true, "must be false if x-kubernetes-int-or-string is true");
        }

        if (node.IntOrString && node.EmbeddedResource)
        {
            Invalid(Child(path, "x-kubernetes-embedded-resource"), true, "must be false if x-kubernetes-int-or-string is true");
        }

        if (node.ListType == "map" && node.ListMapKeys.Count == 0)
        {
            Required(Child(path, "x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map");
        }
        else if (node.ListType != "map" && node.ListMapKeys.Count > 0)
        {
            _errors.Add(new FieldError(Child(path, "x-kubernetes-list-map-keys"), "Forbidden: must not be set if x-kubernetes-list-type is not map", FieldErrorKind.Forbidden));
        }

        if (level == Level.Root || node.EmbeddedResource)
        {
            CheckResourceRootProperties(schema, node, path, level);
        }
    }

    /// <summary>apiVersion, kind and metadata of a resource are handled by the API server itself; the schema may only narrow them.</summary>
    private void CheckResourceRootProperties(JsonObject schema, SchemaNode node, string path, Level level)
    {
        var propertiesPath = Child(path, "properties");
        foreach (var (name, expected) in new[] { ("kind", "string"), ("apiVersion", "string"), ("metadata", "object") })
        {
            if (node.Properties.TryGetValue(name, out var property) && property.Type != expected)
            {
                Invalid(Child(FieldPath.Member(propertiesPath, name), "type"), property.Type ?? "", $"must be {expected}");
            }
        }

        if (level == Level.Root && schema["properties"]?["metadata"] is JsonObject metadata && !OnlyRestrictsNames(metadata))
        {
            _errors.Add(new FieldError(
                FieldPath.Member(propertiesPath, "metadata"),
                "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
                FieldErrorKind.Forbidden));
        }
    }

    // An unsupported or mistyped type has been reported already; only an absent or empty one is "missing".
    private static bool IsEmptyType(JsonNode? type) => type is null || (type is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0);

    private static bool OnlyRestrictsNames(JsonObject metadata) =>
        metadata.All(static m => m.Key is "type" or "description" or "properties")
        && (metadata["properties"] is not JsonObject names || names.All(static n => n.Key is "name" or "generateName"));

    /// <summary>Every field or item a junctor talks about must also be specified outside the junctors.</summary>
    private void CheckCompleteness(SchemaNode node, string path)
    {
        foreach (var (keyword, members) in Junctors(node))
        {
            for (var i = 0; i < members.Count; i++)
            {
                CheckCompleteness(members[i], node, path, JunctorMemberPath(path, keyword, i));
            }
        }
    }

    private void CheckCompleteness(SchemaNode nested, SchemaNode? structural, string structuralPath, string nestedPath)
    {
        if (structural is null)
        {
            Required(structuralPath, $"because it is defined in {nestedPath}");
            return;
        }

        foreach (var (keyword, members) in Junctors(nested))
        {
            for (var i = 0; i < members.Count; i++)
            {
                CheckCompleteness(members[i], structural, structuralPath, JunctorMemberPath(nestedPath, keyword, i));
            }
        }

        if (nested.Items is not null)
        {
            CheckCompleteness(nested.Items, structural.Items, Child(structuralPath, "items"), Child(nestedPath, "items"));
        }

        foreach (var (name, property) in nested.PropertyList)
        {
            var counterpart = structural.Properties.GetValueOrDefault(name) ?? structural.AdditionalProperties;
            CheckCompleteness(
                property,
                counterpart,
                FieldPath.Member(Child(structuralPath, "properties"), name),
                FieldPath.Member(Child(nestedPath, "properties"), name));
        }
    }

    private static string JunctorMemberPath(string path, string keyword, int index) =>
        keyword == "not" ? Child(path, keyword) : FieldPath.Index(Child(path, keyword), index);

    private static IEnumerable<(string Keyword, IReadOnlyList<SchemaNode> Members)> Junctors(SchemaNode node)
    {
        yield return ("allOf", node.AllOf);
        yield return ("anyOf", node.AnyOf);
        yield return ("oneOf", node.OneOf);
        if (node.Not is not null)
        {
            yield return ("not", [node.Not]);
        }
    }

    /// <summary>Defaults must themselves be valid and free of unknown fields, or every defaulted object would be rejected.</summary>
    private void CheckDefaults()
    {
        foreach (var (node, path) in _defaults)
        {
            var value = JsonSnapshot.ToNode(node.Default!.Value);
            var unknownFields = new List<FieldError>();
            PruningDefaulter.Apply(value, node, "default", node.EmbeddedResource, unknownFields);
            var errors = new List<FieldError>(unknownFields);
            new ValueValidator(errors).Validate(value, node, "default", node.EmbeddedResource);
            _errors.AddRange(errors.Select(e => e with { Path = FieldPath.Append(path, e.Path) }));
        }
    }

    /// <summary>The API server's int-or-string idiom: <c>anyOf: [{type: integer}, {type: string}]</c>, the only junctor that may name types.</summary>
    private static bool IsIntOrStringPair(JsonNode? anyOf) =>
        anyOf is JsonArray { Count: 2 } pair
        && IsOnlyType(pair[0], "integer")
        && IsOnlyType(pair[1], "string");

    private static bool IsOnlyType(JsonNode? schema, string type) =>
        schema is JsonObject { Count: 1 } only && only["type"] is JsonValue value && value.TryGetValue<string>(out var t) && t == type;

    private string? ReadType(JsonObject schema, string path)
    {
        var type = ReadString(schema, "type", path);
        if (type is null or "")
        {
            return null;
        }

        if (!KnownTypes.Contains(type))
        {
            NotSupported(Child(path, "type"), type, KnownTypes);
            return null;
        }

        return type;
    }

    private bool ReadPreserveUnknownFields(JsonObject schema, string path)
    {
        var preserve = ReadBool(schema, "x-kubernetes-preserve-unknown-fields", path);
        if (preserve == false)
        {
            Invalid(Child(path, "x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined");
        }

        return preserve ?? false;
    }

    private string? ReadListType(JsonObject schema, string path)
    {
        var listType = ReadString(schema, "x-kubernetes-list-type", path);
        if (listType is not null && !KnownListTypes.Contains(listType))
        {
            NotSupported(Child(path, "x-kubernetes-list-type"), listType, KnownListTypes);
            return null;
        }

        return listType;
    }

    private Regex? ReadPattern(JsonObject schema, string path)
    {
        var pattern = ReadString(schema, "pattern", path);
        if (pattern is null)
        {
            return null;
        }

        try
        {
            // The non-backtracking engine refuses what Go's RE2 (used by the API server) refuses: lookarounds, backreferences.
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            Invalid(Child(path, "pattern"), pattern, $"must be a valid regular expression (RE2 syntax), but isn't: {e.Message}");
            return null;
        }
    }

    private IReadOnlyList<JsonElement>? ReadEnum(JsonObject schema, string path)
    {
        if (!schema.TryGetPropertyValue("enum", out var json))
        {
            return null;
        }

        if (json is not JsonArray members)
        {
            Invalid(Child(path, "enum"), json, "must be a list of values");
            return null;
        }

        return [.. members.Select(JsonSnapshot.Take)];
    }

    private JsonNumber? ReadMultipleOf(JsonObject schema, string path)
    {
        var factor = ReadNumber(schema, "multipleOf", path);
        if (factor is { Approximate: <= 0 })
        {
            Invalid(Child(path, "multipleOf"), factor.Value.Text, "must be greater than zero");
            return null;
        }

        return factor;
    }

    private string? ReadString(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var json))
        {
            return null;
        }

        if (json is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        Invalid(Child(path, keyword), json, "must be a string");
        return null;
    }

    private bool? ReadBool(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var json))
        {
            return null;
        }

        switch (json?.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                Invalid(Child(path, keyword), json, "must be a boolean");
                return null;
        }
    }

    private JsonNumber? ReadNumber(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var json))
        {
            return null;
        }

        if (JsonNumber.TryRead(json, out var number))
        {
            return number;
        }

        Invalid(Child(path, keyword), json, "must be a number");
        return null;
    }

    private long? ReadCount(JsonObject schema, string keyword, string path)
    {
        var number = ReadNumber(schema, keyword, path);
        if (number is null)
        {
            return null;
        }

        if (number.Value.IsIntegerWithin(0, long.MaxValue))
        {
            return (long)number.Value.Exact!.Value;
        }

        Invalid(Child(path, keyword), number.Value.Text, "must be a non-negative integer");
        return null;
    }

    private IReadOnlyList<string>? ReadStringList(JsonObject schema, string keyword, string path)
    {
        if (!schema.TryGetPropertyValue(keyword, out var json))
        {
            return null;
        }

        var strings = new List<string>();
        foreach (var member in json as JsonArray ?? [])
        {
            if (member is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                break;
            }

            strings.Add(text);
        }

        if (json is not JsonArray array || strings.Count != array.Count)
        {
            Invalid(Child(path, keyword), json, "must be a list of strings");
            return null;
        }

        return strings;
    }

    private static string Child(string path, string keyword) => $"{path}.{keyword}";

    private void Required(string path, string detail) =>
        _errors.Add(new FieldError(path, $"Required value: {detail}", FieldErrorKind.Required));

    private void Invalid(string path, JsonNode? value, string detail) =>
        _errors.Add(new FieldError(path, $"Invalid value: {JsonText.Render(value)}: {detail}", FieldErrorKind.Invalid));

    private void Invalid(string path, string value, string detail) => Invalid(path, JsonValue.Create(value), detail);

    private void Invalid(string path, bool value, string detail) => Invalid(path, JsonValue.Create(value), detail);

    private void NotSupported(string path, string value, IEnumerable<string> supported) =>
        _errors.Add(new FieldError(
            path,
            $"Unsupported value: {JsonText.Quote(value)}: supported values: {string.Join(", ", supported.Select(JsonText.Quote))}",
            FieldErrorKind.NotSupported));
}
