using System.Collections.Concurrent;
using System.Text.Json;

using Iot.Api;
using Iot.Api.AlertRoutes;
using Iot.Api.Crds;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Manifests;
using Iot.Api.Rooms;
using Iot.Api.Schema;
using Iot.Api.Validation;

using k8s;
using k8s.Models;

namespace Iot.Cli.Validation;

/// <summary>The outcome of validating a set of manifest files.</summary>
internal sealed record ValidationReport(IReadOnlyList<Diagnostic> Diagnostics, int Files, int Objects)
{
    public int Errors => Diagnostics.Count(d => !d.IsWarning);

    public int Warnings => Diagnostics.Count(d => d.IsWarning);
}

/// <summary>
/// Offline validation of manifests, in the order the API server and the operator would judge them: YAML, the CRD
/// schema (unknown fields are errors here, as with kubectl's strict field validation), the kinds' own rules, then the
/// relations between the objects of the set. Objects of other API groups are ignored, except Secrets, which
/// references are checked against.
/// </summary>
internal static class ManifestValidator
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private static readonly ConcurrentDictionary<string, (Type Type, StructuralSchema Schema)> Kinds = new(
        IotApi.Kinds.Select(type =>
        {
            var crd = CrdGenerator.Generate(type).Definition;
            var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
            return KeyValuePair.Create((string)crd["spec"]!["names"]!["kind"]!, (type, StructuralSchema.Parse(schema)));
        }));

    public static ValidationReport Validate(IEnumerable<string> paths)
    {
        var diagnostics = new List<Diagnostic>();
        var files = ExpandPaths(paths, diagnostics);
        var objects = new List<(IKubernetesObject<V1ObjectMeta> Object, ManifestDocument Document)>();
        var secrets = new List<V1Secret>();
        foreach (var file in files)
        {
            IReadOnlyList<ManifestDocument> documents;
            try
            {
                documents = ManifestReader.ReadFile(file);
            }
            catch (ManifestException e)
            {
                diagnostics.Add(new Diagnostic(Display(file), e.Line, null, null, null, null, e.Reason, IsWarning: false));
                continue;
            }

            foreach (var document in documents.Select(d => d with { Source = Display(file) }))
            {
                if (ValidateDocument(document, diagnostics, secrets) is { } resource)
                {
                    objects.Add((resource, document));
                }
            }
        }

        var documentOf = objects.ToDictionary<(IKubernetesObject<V1ObjectMeta> Object, ManifestDocument Document), IKubernetesObject<V1ObjectMeta>, ManifestDocument>(
            o => o.Object, o => o.Document, ReferenceEqualityComparer.Instance);
        foreach (var finding in ResourceSetValidator.Validate([.. objects.Select(o => o.Object)], secrets))
        {
            diagnostics.Add(Locate(documentOf[finding.Object], finding.Error, finding.IsWarning));
        }

        var ordered = diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        return new ValidationReport(ordered, files.Count, objects.Count);
    }

    private static IKubernetesObject<V1ObjectMeta>? ValidateDocument(ManifestDocument document, List<Diagnostic> diagnostics, List<V1Secret> secrets)
    {
        var apiVersion = document.ApiVersion;
        if (apiVersion == "v1" && document.Kind == "Secret")
        {
            secrets.Add(KubernetesJson.Deserialize<V1Secret>(document.Content.ToJsonString()));
            return null;
        }

        if (apiVersion.Split('/')[0] != IotApi.Group)
        {
            return null; // not ours: kubectl and the API server judge it
        }

        if (apiVersion != IotApi.ApiVersion)
        {
            diagnostics.Add(Locate(document, new FieldError("apiVersion", $"unsupported version \"{apiVersion}\"; use {IotApi.ApiVersion}", FieldErrorKind.NotSupported), false));
            return null;
        }

        if (!Kinds.TryGetValue(document.Kind, out var kind))
        {
            diagnostics.Add(Locate(document, new FieldError("kind", $"unknown kind \"{document.Kind}\" in {IotApi.ApiVersion}; kinds: {string.Join(", ", Kinds.Keys.Order())}", FieldErrorKind.NotSupported), false));
            return null;
        }

        var content = document.Content.DeepClone();
        var result = kind.Schema.Apply(content);
        foreach (var error in result.UnknownFields.Concat(result.Errors))
        {
            diagnostics.Add(Locate(document, error, false));
        }

        if (!result.IsValid || result.UnknownFields.Count > 0)
        {
            return null; // the C# rules assume a schema-valid object
        }

        IKubernetesObject<V1ObjectMeta> resource;
        try
        {
            resource = Deserialize(kind.Type, content.ToJsonString());
        }
        catch (JsonException e)
        {
            diagnostics.Add(Locate(document, new FieldError(e.Path?.TrimStart('$', '.') ?? "", e.Message), false));
            return null;
        }

        foreach (var error in ResourceValidator.Validate(resource))
        {
            diagnostics.Add(Locate(document, error, false));
        }

        return resource;
    }

    private static IKubernetesObject<V1ObjectMeta> Deserialize(Type type, string json) => type.Name switch
    {
        nameof(Device) => KubernetesJson.Deserialize<Device>(json),
        nameof(Room) => KubernetesJson.Deserialize<Room>(json),
        nameof(EdgeRule) => KubernetesJson.Deserialize<EdgeRule>(json),
        nameof(AlertRoute) => KubernetesJson.Deserialize<AlertRoute>(json),
        _ => throw new ArgumentException($"not an IoT kind: {type}", nameof(type)),
    };

    private static Diagnostic Locate(ManifestDocument document, FieldError error, bool isWarning) =>
        new(document.Source, document.LineOf(error.Path), document.Kind, document.Name, document.Namespace, error.Path, error.Message, isWarning);

    internal static List<string> ExpandPaths(IEnumerable<string> paths, List<Diagnostic> diagnostics)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                diagnostics.Add(new Diagnostic(path, 0, null, null, null, null, "no such file or directory", IsWarning: false));
            }
        }

        return files;
    }

    private static string Display(string file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(file) : relative;
    }
}
