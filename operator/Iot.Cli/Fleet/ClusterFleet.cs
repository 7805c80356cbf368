using System.Text.Json;

using Iot.Api;
using Iot.Api.Devices;
using Iot.Devices.Client;
using Iot.Devices.Simulation;

using k8s;
using k8s.Autorest;

namespace Iot.Cli.Fleet;

/// <summary>The Devices of a namespace that can be simulated: enabled, with their credentials Secret present.</summary>
internal static class ClusterFleet
{
    /// <summary>Each enabled Device of <paramref name="ns"/> whose credentials Secret exists, in name order.</summary>
    public static async Task<List<SimulatedDevice>> ReadAsync(IKubernetes client, string ns, CancellationToken cancellationToken)
    {
        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, ns, "devices", cancellationToken: cancellationToken).ConfigureAwait(false);
        var fleet = new List<SimulatedDevice>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var device = KubernetesJson.Deserialize<Device>(item.GetRawText());
            var secretName = device.Spec.Auth?.ExistingSecret ?? device.Status?.CredentialsSecret;
            if (device.Spec.Disabled == true || secretName is null)
            {
                continue;
            }

            try
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                fleet.Add(new SimulatedDevice(DeviceClientOptions.FromSecretData(secret.Data.ToDictionary()), device.Spec.Type));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not issued yet: the device joins once the operator has written it.
            }
        }

        return [.. fleet.OrderBy(d => d.Connection.DeviceId, StringComparer.Ordinal)];
    }
}
