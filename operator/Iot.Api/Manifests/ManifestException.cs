namespace Iot.Api.Manifests;

/// <summary>A manifest that cannot be read: not YAML, or a document that is not an object.</summary>
/// <param name="source">The file it came from.</param>
/// <param name="line">The 1-based line of the problem.</param>
/// <param name="message">What is wrong.</param>
public sealed class ManifestException(string source, int line, string message) : Exception($"{source}:{line}: {message}")
{
    /// <summary>The file the manifest came from.</summary>
    public string File { get; } = source;

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; } = message;
}
