namespace Iot.LocalCluster.Storage;

/// <summary>The random suffix the real server appends to metadata.generateName: five characters without vowels or look-alikes.</summary>
internal static class GeneratedNames
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int SuffixLength = 5;

    public static string Append(string prefix) =>
        string.Create(prefix.Length + SuffixLength, prefix, static (span, prefix) =>
        {
            prefix.AsSpan().CopyTo(span);
            for (var i = prefix.Length; i < span.Length; i++)
            {
                span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            }
        });
}
