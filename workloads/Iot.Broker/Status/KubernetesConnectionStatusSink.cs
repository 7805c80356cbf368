using System.Net;

using Iot.Api;
using Iot.Api.Devices;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Broker.Status;

/// <summary>
/// Writes <c>Device.status.connection</c> by server-side apply under field manager <c>iot-broker</c>: the broker owns
/// exactly that field, so the operator's status writes and ours never overwrite each other.
/// </summary>
public sealed class KubernetesConnectionStatusSink(IKubernetes client, string @namespace) : IConnectionStatusSink
{
    /// <summary>The field manager of the broker's writes.</summary>
    public const string FieldManager = "iot-broker";

    /// <inheritdoc />
    public async Task WriteAsync(string deviceId, DeviceConnection connection, CancellationToken cancellationToken)
    {
        var body = new
        {
            apiVersion = IotApi.ApiVersion,
            kind = "Device",
            metadata = new { name = deviceId, @namespace },
            status = new { connection },
        };
        try
        {
            using var response = await client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync(
                new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.ApplyPatch), IotApi.Group, IotApi.Version, @namespace, "devices", deviceId,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The Device was deleted while connected: nothing to report on.
        }
    }
}
