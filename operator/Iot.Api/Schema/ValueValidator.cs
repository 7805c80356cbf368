using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Iot.Api.Validation;

namespace Iot.Api.Schema;

/// <summary>
/// The read-only half of <c>StructuralSchema.Apply</c>: checks a (pruned, defaulted) value against its schema and
/// collects every violation, pre-order in document order, worded like the API server's messages
/// (<c>Invalid value: "abc": spec.x in body should match '^[a-z]+$'</c>).
/// </summary>
internal sealed class ValueValidator(List<FieldError> errors)
{
    public void Validate(JsonNode? value, SchemaNode schema, string path, bool isResourceRoot)
    {
        if (value is null)
        {
            if (!schema.Nullable && schema.ConstrainsType)
            {
                TypeMismatch(value, schema, path);
            }

            return;
        }

        if (!HasDeclaredType(value, schema))
        {
            TypeMismatch(value, schema, path);
            return; // further checks of a value of the wrong type only add noise
        }

        if (schema.Enum is { } supported && !JsonSnapshot.IsOneOf(value, supported))
        {
            var list = string.Join(", ", supported.Select(JsonText.QuoteElement));
            errors.Add(new FieldError(path, $"Unsupported value: {JsonText.Render(value)}: supported values: {list}", FieldErrorKind.NotSupported));
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, isResourceRoot);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path);
                break;
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                ValidateString(text, value, schema, path);
                break;
            case JsonValue when JsonNumber.TryRead(value, out var number):
                ValidateNumber(number, value, schema, path);
                break;
        }

        ValidateJunctors(value, schema, path);
    }

    private static bool HasDeclaredType(JsonNode value, SchemaNode schema)
    {
        var kind = value.GetValueKind();
        bool IsInteger() => JsonNumber.TryRead(value, out var number) && number.IsIntegral;

        if (schema.IntOrString)
        {
            return kind == JsonValueKind.String || IsInteger();
        }

        return schema.Type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => IsInteger(),
            _ => true,
        };
    }

    private void TypeMismatch(JsonNode? value, SchemaNode schema, string path)
    {
        var expected = schema.IntOrString ? "integer or string" : schema.Type;
        errors.Add(new FieldError(
            path,
            $"Invalid value: {JsonText.Render(value)}: {FieldPath.InBody(path)} must be of type {expected}: \"{JsonText.TypeOf(value)}\"",
            FieldErrorKind.TypeInvalid));
    }

    private void ValidateObject(JsonObject obj, SchemaNode schema, string path, bool isResourceRoot)
    {
        if (schema.MaxProperties is { } max && obj.Count > max)
        {
            Invalid(path, $"Too many: {obj.Count}: must have at most {max} properties");
        }

        if (schema.MinProperties is { } min && obj.Count < min)
        {
            Invalid(path, $"Invalid value: {obj.Count}: {FieldPath.InBody(path)} should have at least {min} properties");
        }

        foreach (var name in schema.Required.Where(name => !obj.ContainsKey(name)))
        {
            errors.Add(new FieldError(FieldPath.Member(path, name), "Required value", FieldErrorKind.Required));
        }

        foreach (var (name, member) in obj)
        {
            var memberPath = FieldPath.Member(path, name);
            if (isResourceRoot && name == "metadata")
            {
                ValidateMetadata(member, schema, memberPath);
            }
            else if (schema.Properties.TryGetValue(name, out var property))
            {
                Validate(member, property, memberPath, property.EmbeddedResource);
            }
            else if (schema.AdditionalProperties is { } mapValues)
            {
                Validate(member, mapValues, memberPath, mapValues.EmbeddedResource);
            }
        }
    }

    /// <summary>The API server validates metadata itself; a schema may only narrow name and generateName.</summary>
    private void ValidateMetadata(JsonNode? metadata, SchemaNode resource, string path)
    {
        if (metadata is not JsonObject obj)
        {
            TypeMismatch(metadata, new SchemaNode { Type = "object" }, path);
            return;
        }

        if (resource.Properties.TryGetValue("metadata", out var schema))
        {
            foreach (var name in new[] { "name", "generateName" })
            {
                if (schema.Properties.TryGetValue(name, out var property) && obj.TryGetPropertyValue(name, out var value))
                {
                    Validate(value, property, FieldPath.Member(path, name), isResourceRoot: false);
                }
            }
        }
    }

    private void ValidateArray(JsonArray array, SchemaNode schema, string path)
    {
        if (schema.MaxItems is { } max && array.Count > max)
        {
            Invalid(path, $"Too many: {array.Count}: must have at most {max} items");
        }

        if (schema.MinItems is { } min && array.Count < min)
        {
            Invalid(path, $"Invalid value: {array.Count}: {FieldPath.InBody(path)} should have at least {min} items");
        }

        if (schema.UniqueItems || schema.ListType == "set")
        {
            ReportDuplicates(array, path, static item => item);
        }
        else if (schema.ListType == "map")
        {
            ReportDuplicates(array, path, item => item is JsonObject entry ? MapKey(entry, schema.ListMapKeys) : item);
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, FieldPath.Index(path, i), items.EmbeddedResource);
            }
        }
    }

    /// <summary>Reports each item whose identity (the item, or its map keys) repeats an earlier item's, at the later item's path.</summary>
    private void ReportDuplicates(JsonArray array, string path, Func<JsonNode?, JsonNode?> identity)
    {
        var seen = new List<JsonNode?>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var id = identity(array[i]);
            if (seen.Any(earlier => JsonNode.DeepEquals(earlier, id)))
            {
                errors.Add(new FieldError(FieldPath.Index(path, i), $"Duplicate value: {JsonText.Render(id)}", FieldErrorKind.Duplicate));
            }

            seen.Add(id);
        }
    }

    private static JsonObject MapKey(JsonObject entry, IReadOnlyList<string> keys) =>
        new(keys.Where(entry.ContainsKey).Select(key => KeyValuePair.Create(key, entry[key]?.DeepClone())));

    private void ValidateString(string text, JsonNode value, SchemaNode schema, string path)
    {
        var inBody = FieldPath.InBody(path);
        var rendered = JsonText.Render(value);
        var length = text.EnumerateRunes().Count(); // characters as the API server counts them, not UTF-16 units
        if (schema.MaxLength is { } max && length > max)
        {
            Invalid(path, $"Invalid value: {rendered}: {inBody} should be at most {max} chars long");
        }

        if (schema.MinLength is { } min && length < min)
        {
            Invalid(path, $"Invalid value: {rendered}: {inBody} should be at least {min} chars long");
        }

        if (schema.Pattern is { } pattern)
        {
            try
            {
                if (!pattern.IsMatch(text))
                {
                    Invalid(path, $"Invalid value: {rendered}: {inBody} should match '{pattern}'");
                }
            }
            catch (RegexMatchTimeoutException)
            {
                Invalid(path, $"Invalid value: {rendered}: {inBody} could not be checked against '{pattern}' within {pattern.MatchTimeout.TotalSeconds:0.#}s");
            }
        }

        if (schema.Format is { } format && FormatChecks.CheckString(format, text) is { } problem)
        {
            Invalid(path, $"Invalid value: {rendered}: {inBody} {problem}");
        }
    }

    private void ValidateNumber(JsonNumber number, JsonNode value, SchemaNode schema, string path)
    {
        var inBody = FieldPath.InBody(path);
        var rendered = JsonText.Render(value);
        if (schema.Format is { } format && FormatChecks.CheckNumber(format, number) is { } problem)
        {
            Invalid(path, $"Invalid value: {rendered}: {inBody} {problem}");
        }

        if (schema.MultipleOf is { } factor && !number.IsMultipleOf(factor))
        {
            Invalid(path, $"Invalid value: {rendered}: {inBody} should be a multiple of {factor}");
        }

        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number.CompareTo(max) >= 0 : number.CompareTo(max) > 0))
        {
            var bound = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            Invalid(path, $"Invalid value: {rendered}: {inBody} should be {bound} {max}");
        }

        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number.CompareTo(min) <= 0 : number.CompareTo(min) < 0))
        {
            var bound = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            Invalid(path, $"Invalid value: {rendered}: {inBody} should be {bound} {min}");
        }
    }

    /// <summary>allOf/anyOf/oneOf/not only validate: they never prune or default (see <c>StructuralSchema</c>).</summary>
    private void ValidateJunctors(JsonNode value, SchemaNode schema, string path)
    {
        foreach (var member in schema.AllOf)
        {
            Validate(value, member, path, isResourceRoot: false);
        }

        var inBody = FieldPath.InBody(path);
        if (schema.AnyOf.Count > 0 && !schema.AnyOf.Any(member => Passes(value, member, path)))
        {
            Invalid(path, $"Invalid value: {JsonText.Render(value)}: {inBody} must validate at least one schema (anyOf)");
        }

        if (schema.OneOf.Count > 0 && schema.OneOf.Count(member => Passes(value, member, path)) is var passing and not 1)
        {
            var found = passing == 0 ? "" : $", but validates {passing}";
            Invalid(path, $"Invalid value: {JsonText.Render(value)}: {inBody} must validate one and only one schema (oneOf){found}");
        }

        if (schema.Not is { } not && Passes(value, not, path))
        {
            Invalid(path, $"Invalid value: {JsonText.Render(value)}: {inBody} must not validate the schema (not)");
        }
    }

    private static bool Passes(JsonNode value, SchemaNode schema, string path)
    {
        var probe = new List<FieldError>();
        new ValueValidator(probe).Validate(value, schema, path, isResourceRoot: false);
        return probe.Count == 0;
    }

    private void Invalid(string path, string message) => errors.Add(new FieldError(path, message, FieldErrorKind.Invalid));
}
