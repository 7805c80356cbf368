using System.Collections.Immutable;
using System.Text.Json.Nodes;

using Iot.Api.Schema;

namespace Iot.LocalCluster.Resources;

/// <summary>
/// Which resources are served: the built-in kinds plus one per established CustomResourceDefinition. Lock-free reads
/// (an immutable snapshot swapped on change), because every request looks a resource up.
/// </summary>
internal sealed class ResourceRegistry
{
    private ImmutableDictionary<string, ServedResource> byPath = ImmutableDictionary<string, ServedResource>.Empty;

    public ResourceRegistry()
    {
        foreach (var type in BuiltinResources.All)
        {
            Add(new ServedResource(type, null, []));
        }
    }

    public IEnumerable<ServedResource> All => byPath.Values.OrderBy(r => r.Type.Group, StringComparer.Ordinal).ThenBy(r => r.Type.Plural, StringComparer.Ordinal);

    public ServedResource? Find(string group, string version, string plural) => byPath.GetValueOrDefault($"{group}/{version}/{plural}");

    public ServedResource? FindByKind(string apiVersion, string kind) =>
        byPath.Values.FirstOrDefault(r => r.Type.ApiVersion == apiVersion && r.Type.Kind == kind);

    public bool ServesGroupVersion(string group, string version) => byPath.Values.Any(r => r.Type.Group == group && r.Type.Version == version);

    /// <summary>Serves the resource a CRD defines (replacing a previous definition of it); the CRD must be valid.</summary>
    /// <exception cref="ArgumentException">The CRD's schema is not structural, or it has no served version.</exception>
    public ResourceType Register(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var version = spec["versions"]!.AsArray().Select(v => v!.AsObject()).FirstOrDefault(v => (bool?)v["served"] != false)
            ?? throw new ArgumentException("the CRD serves no version");
        var type = new ResourceType(
            (string)spec["group"]!, (string)version["name"]!, (string)names["kind"]!, (string)names["plural"]!,
            (string?)names["singular"] ?? ((string)names["kind"]!).ToLowerInvariant(),
            (string?)spec["scope"] != "Cluster", HasStatus: version["subresources"]?["status"] is not null, HasSpec: true)
        {
            ShortNames = [.. names["shortNames"]?.AsArray().Select(n => (string)n!) ?? []],
            Categories = [.. names["categories"]?.AsArray().Select(n => (string)n!) ?? []],
        };
        var openApi = version["schema"]?["openAPIV3Schema"] as JsonObject ?? throw new ArgumentException("the CRD version has no openAPIV3Schema");
        var schema = StructuralSchema.Parse(openApi);
        var columns = version["additionalPrinterColumns"]?.AsArray().Select(c => new PrinterColumn(
            (string)c!["name"]!, (string?)c["type"] ?? "string", (string)c["jsonPath"]!, (string?)c["description"] ?? "", (int?)c["priority"] ?? 0)).ToList() ?? [];
        Unregister(crd);
        Add(new ServedResource(type, schema, columns, (JsonObject)openApi.DeepClone()));
        return type;
    }

    public void Unregister(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var group = (string)spec["group"]!;
        var plural = (string)spec["names"]!["plural"]!;
        ImmutableInterlocked.Update(ref byPath, d => d.RemoveRange(d.Where(e => e.Value.Type.Group == group && e.Value.Type.Plural == plural).Select(e => e.Key)));
    }

    private void Add(ServedResource resource)
    {
        var t = resource.Type;
        ImmutableInterlocked.Update(ref byPath, d => d.SetItem($"{t.Group}/{t.Version}/{t.Plural}", resource));
    }
}
