using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Schema;

/// <summary>
/// A compiled structural schema (the <c>openAPIV3Schema</c> of one CustomResourceDefinition version) that prunes, defaults
/// and validates objects the way the Kubernetes API server does for custom resources. Build it once per CRD version:
/// patterns are compiled once and the instance is immutable, so concurrent <see cref="Apply"/> calls are safe.
/// </summary>
/// <remarks>
/// <para>What <see cref="Apply"/> does, in the API server's order:</para>
/// <list type="number">
/// <item><b>Pruning</b>: fields not specified by <c>properties</c> are removed and reported as unknown, except below
/// <c>x-kubernetes-preserve-unknown-fields: true</c>, in maps (<c>additionalProperties</c>), and for <c>apiVersion</c>,
/// <c>kind</c> and <c>metadata</c> of the resource root (and of <c>x-kubernetes-embedded-resource</c> nodes).</item>
/// <item><b>Defaulting</b>, top-down: an absent property with a <c>default</c> gets a fresh copy of it (so a defaulted
/// object receives its own nested defaults); so does a <c>null</c> property, list item or map value whose schema has a
/// default and is not <c>nullable</c>.</item>
/// <item><b>Validation</b>: type (<c>integer</c> accepts numbers without a fractional part, <c>number</c> accepts
/// integers, <c>x-kubernetes-int-or-string</c> accepts both), <c>nullable</c>, <c>required</c>, <c>enum</c>,
/// <c>pattern</c>, <c>minLength</c>/<c>maxLength</c> (in Unicode characters), <c>minimum</c>/<c>maximum</c> with
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, <c>multipleOf</c>, <c>minItems</c>/<c>maxItems</c>,
/// <c>uniqueItems</c>, <c>x-kubernetes-list-type: set|map</c> uniqueness, <c>minProperties</c>/<c>maxProperties</c>,
/// <c>format</c> <c>date-time</c> (RFC 3339), <c>int32</c> and <c>int64</c> (other formats are not checked), and
/// <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/<c>not</c> as validation only: they never prune or default, and
/// <see cref="FindStructuralErrors"/> rejects junctors that declare types, defaults or fields not specified outside them,
/// as the API server does. Metadata is only checked to be an object (plus any <c>name</c>/<c>generateName</c>
/// restrictions the schema declares): the API server validates ObjectMeta itself.</item>
/// </list>
/// <para>Not evaluated: <c>x-kubernetes-validations</c> (CEL rules; the operator re-checks those rules in C#),
/// transition rules and validation ratcheting. Embedded resources are not checked to carry apiVersion and kind.</para>
/// <para>Patterns use .NET regular expressions (default options, 1 second match timeout); schemas whose patterns RE2
/// would reject (lookarounds, backreferences) are reported as not structural. Small dialect differences remain, e.g.
/// <c>\d</c> also matches non-ASCII digits.</para>
/// <para>Error paths are dotted from the object's root with <c>[i]</c> for list items; a member name (property or map
/// key) is written <c>.name</c> when it consists only of ASCII letters, digits, <c>_</c> and <c>-</c>, and
/// <c>[name]</c> otherwise: <c>spec.telemetry[1].type</c>, <c>spec.attributes[app.kubernetes.io/name]</c>.</para>
/// </remarks>
public sealed class StructuralSchema
{
    private readonly SchemaNode _root;

    private StructuralSchema(SchemaNode root)
    {
        _root = root;
    }

    /// <summary>Compiles <paramref name="openApiV3Schema"/>.</summary>
    /// <param name="openApiV3Schema">The <c>openAPIV3Schema</c> of a CRD version; it is read, never kept or changed.</param>
    /// <exception cref="ArgumentException">The schema is not structural; the message lists each problem with its schema path.</exception>
    public static StructuralSchema Parse(JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var (root, errors) = SchemaCompiler.Compile(openApiV3Schema);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"The schema is not structural:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}",
                nameof(openApiV3Schema));
        }

        return new StructuralSchema(root);
    }

    /// <summary>
    /// Every reason <paramref name="openApiV3Schema"/> is not a structural schema the API server would accept, with paths
    /// like <c>openAPIV3Schema.properties.spec.properties.foo.type</c>: missing types, arrays without items, properties
    /// together with additionalProperties, <c>additionalProperties: false</c>, junctors that are more than value
    /// validations, invalid patterns, defaults that do not satisfy their own schema, and the like. Empty when it is fine.
    /// </summary>
    /// <param name="openApiV3Schema">The <c>openAPIV3Schema</c> of a CRD version.</param>
    public static IReadOnlyList<FieldError> FindStructuralErrors(JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        return SchemaCompiler.Compile(openApiV3Schema).Errors;
    }

    /// <summary>
    /// Prunes unknown fields, applies defaults and validates, as the API server does on create and update. Mutates
    /// <paramref name="value"/> in place (pruning and defaults) and reports what it pruned and what is invalid.
    /// </summary>
    /// <param name="value">The whole object (apiVersion, kind, metadata, spec, ...).</param>
    /// <param name="rootPath">Prefix for reported paths, for objects nested in something larger (e.g. <c>items[3]</c>).</param>
    public SchemaResult Apply(JsonNode value, string rootPath = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(rootPath);

        var unknownFields = new List<FieldError>();
        PruningDefaulter.Apply(value, _root, rootPath, isResourceRoot: true, unknownFields);
        var errors = new List<FieldError>();
        new ValueValidator(errors).Validate(value, _root, rootPath, isResourceRoot: true);
        return new SchemaResult(errors, unknownFields);
    }
}
