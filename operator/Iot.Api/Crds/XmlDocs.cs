using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Iot.Api.Crds;

/// <summary>Reads the summaries of the compiler-generated XML documentation file next to this assembly.</summary>
internal sealed class XmlDocs
{
    private readonly Dictionary<string, string> summaries;

    private XmlDocs(Dictionary<string, string> summaries) => this.summaries = summaries;

    public static XmlDocs ForAssembly(Assembly assembly)
    {
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException(
                $"The documentation file {file} is missing; CRD descriptions come from it. Build with GenerateDocumentationFile=true.", file);
        }

        var summaries = XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Flatten(m.Element("summary")!));
        return new XmlDocs(summaries);
    }

    public string? Summary(Type type) => summaries.GetValueOrDefault("T:" + Name(type));

    public string? Summary(PropertyInfo property) =>
        summaries.GetValueOrDefault($"P:{Name(property.DeclaringType!)}.{property.Name}");

    private static string Name(Type type) =>
        (type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName!.Replace('+', '.');

    // <c>x</c> and <see cref="T:A.B"/> become plain text; whitespace from the source layout collapses.
    private static string Flatten(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.DescendantNodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "paramref" or "typeparamref" } e:
                    var target = (string?)e.Attribute("cref") ?? (string?)e.Attribute("name") ?? (string?)e.Attribute("langword") ?? "";
                    text.Append(target[(target.LastIndexOf('.') + 1)..]);
                    break;
            }
        }

        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
