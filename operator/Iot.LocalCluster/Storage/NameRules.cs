using System.Text.RegularExpressions;

namespace Iot.LocalCluster.Storage;

/// <summary>The API machinery's rules for object names, label keys and label values; each check returns the problems in the real server's wording.</summary>
internal static partial class NameRules
{
    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string TooManySlashesMessage =
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const int MaxLabelLength = 63;
    private const int MaxSubdomainLength = 253;

    /// <summary>Namespace names (and other DNS labels).</summary>
    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        var problems = new List<string>();
        if (value.Length > MaxLabelLength)
        {
            problems.Add($"must be no more than {MaxLabelLength} characters");
        }

        if (!Dns1123LabelPattern().IsMatch(value))
        {
            problems.Add(Dns1123LabelMessage);
        }

        return problems;
    }

    /// <summary>Names of most kinds (custom resources, ConfigMaps, Deployments, ...).</summary>
    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        var problems = new List<string>();
        if (value.Length > MaxSubdomainLength)
        {
            problems.Add($"must be no more than {MaxSubdomainLength} characters");
        }

        if (!Dns1123SubdomainPattern().IsMatch(value))
        {
            problems.Add(Dns1123SubdomainMessage);
        }

        return problems;
    }

    /// <summary>Names that only need to be usable as a URL path segment (RBAC kinds, whose names contain ':').</summary>
    public static IReadOnlyList<string> PathSegment(string value)
    {
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }

        var problems = new List<string>();
        foreach (var forbidden in new[] { "/", "%" })
        {
            if (value.Contains(forbidden, StringComparison.Ordinal))
            {
                problems.Add($"may not contain '{forbidden}'");
            }
        }

        return problems;
    }

    /// <summary>Label keys: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        var problems = new List<string>();
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    problems.Add("prefix part must be non-empty");
                }
                else
                {
                    problems.AddRange(Dns1123Subdomain(parts[0]).Select(p => "prefix part " + p));
                }

                break;
            default:
                return [TooManySlashesMessage];
        }

        if (name.Length == 0)
        {
            problems.Add("name part must be non-empty");
        }
        else
        {
            if (name.Length > MaxLabelLength)
            {
                problems.Add($"name part must be no more than {MaxLabelLength} characters");
            }

            if (!QualifiedNamePattern().IsMatch(name))
            {
                problems.Add(QualifiedNameMessage);
            }
        }

        return problems;
    }

    /// <summary>Label values: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric.</summary>
    public static IReadOnlyList<string> LabelValue(string value)
    {
        var problems = new List<string>();
        if (value.Length > MaxLabelLength)
        {
            problems.Add($"must be no more than {MaxLabelLength} characters");
        }

        if (!LabelValuePattern().IsMatch(value))
        {
            problems.Add(LabelValueMessage);
        }

        return problems;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123SubdomainPattern();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePattern();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValuePattern();
}
