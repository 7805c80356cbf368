namespace Iot.LocalCluster;

/// <summary>Writes a kubeconfig with one cluster, user and context named <c>iot-local</c>.</summary>
internal static class Kubeconfig
{
    public static void Write(string path, string server, string? caPem)
    {
        var ca = caPem is null ? "" : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(caPem))}";
        var text = $$"""
            # Written by Iot.LocalCluster, a development and test API server (not a production cluster).
            apiVersion: v1
            kind: Config
            clusters:
            - name: iot-local
              cluster:
                server: {{server}}{{ca}}
            users:
            - name: iot-local
              user:
                token: iot-local
            contexts:
            - name: iot-local
              context:
                cluster: iot-local
                user: iot-local
                namespace: default
            current-context: iot-local
            preferences: {}

            """;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }
}
