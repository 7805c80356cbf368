using Iot.Api.Manifests;

using k8s;

namespace Iot.Api.Tests;

/// <summary>Test objects written as YAML, read the way manifests are.</summary>
internal static class Yaml
{
    public static T Parse<T>(string yaml) => KubernetesJson.Deserialize<T>(ManifestReader.Read(yaml, "test.yaml").Single().Content.ToJsonString());
}
