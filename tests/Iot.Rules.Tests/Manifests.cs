using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Manifests;

using k8s;

namespace Iot.Rules.Tests;

/// <summary>Rules and devices written as the YAML users write, without apiVersion and kind.</summary>
internal static class Manifests
{
    public static EdgeRule Rule(string yaml) => Read<EdgeRule>(yaml);

    public static Device Device(string yaml) => Read<Device>(yaml);

    /// <summary>A thermostat in <paramref name="room"/> with temperature, humidity and heating fields and the setpoint command.</summary>
    public static Device Thermostat(string id, string room = "lab-1", string labels = "{zone: north}") => Device($$"""
        metadata: {name: {{id}}, namespace: building-a, labels: {{labels}}}
        spec:
          type: thermostat
          room: {{room}}
          telemetry:
            - {name: temperature, type: number}
            - {name: humidity, type: number}
            - {name: heating, type: boolean}
            - {name: mode, type: string}
            - {name: errors, type: integer}
          commands: [setpoint]
        """);

    public static IEnumerable<T> ReadFile<T>(string path) where T : class =>
        ManifestReader.ReadFile(path).Where(d => d.Kind == typeof(T).Name).Select(d => KubernetesJson.Deserialize<T>(d.Content.ToJsonString()));

    private static T Read<T>(string yaml) => KubernetesJson.Deserialize<T>(ManifestReader.Read(yaml, "test").Single().Content.ToJsonString());
}
