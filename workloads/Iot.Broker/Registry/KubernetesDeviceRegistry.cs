using System.Security.Cryptography.X509Certificates;
using System.Text;

using Iot.Api.Devices;
using Iot.Kube;

using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Broker.Registry;

/// <summary>
/// The Devices of one namespace and their credentials Secrets (DESIGN.md §4), watched through the Kubernetes API: a
/// Device's Secret is <c>spec.auth.existingSecret</c>, else <c>status.credentialsSecret</c>. Records are recomputed in the
/// informers' event handlers, so a lookup is a dictionary read, and every change reaches <see cref="DeviceChanged"/> as
/// soon as its watch event arrives.
/// </summary>
public sealed class KubernetesDeviceRegistry : IDeviceRegistry
{
    private static readonly KubeResource Devices = KubeResource.For<Device>();
    private static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    private readonly Lock gate = new();
    private readonly Dictionary<string, DeviceEntry> devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecretEntry> secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> devicesBySecret = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceRecord> records = new(StringComparer.Ordinal);
    private readonly Informer<Device> deviceInformer;
    private readonly Informer<V1Secret> secretInformer;
    private X509Certificate2? clientCa;

    /// <summary>A registry of the Devices in <paramref name="namespace"/>; call <see cref="RunAsync"/> to fill it.</summary>
    public KubernetesDeviceRegistry(IKubernetes client, string @namespace, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var options = new ReflectorOptions { Namespace = @namespace, Logger = logger ?? NullLogger.Instance };
        deviceInformer = new Informer<Device>(new ResourceClient<Device>(client, Devices), options);
        secretInformer = new Informer<V1Secret>(new ResourceClient<V1Secret>(client, Secrets), options);
        deviceInformer.AddEventHandler(new ResourceEventHandler<Device>
        {
            OnAdd = OnDevice,
            OnUpdate = (_, device) => OnDevice(device),
            OnDelete = OnDeviceDeleted,
        });
        secretInformer.AddEventHandler(new ResourceEventHandler<V1Secret>
        {
            OnAdd = OnSecret,
            OnUpdate = (_, secret) => OnSecret(secret),
            OnDelete = OnSecretDeleted,
        });
    }

    /// <inheritdoc />
    public event Action<string>? DeviceChanged;

    /// <inheritdoc />
    public bool IsSynced => deviceInformer.HasSynced && secretInformer.HasSynced;

    /// <inheritdoc />
    public X509Certificate2? ClientCertificateAuthority => Volatile.Read(ref clientCa);

    /// <inheritdoc />
    public DeviceRecord? Find(string deviceId)
    {
        lock (gate)
        {
            return records.GetValueOrDefault(deviceId);
        }
    }

    /// <summary>Lists and watches Devices and Secrets until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(deviceInformer.RunAsync(cancellationToken), secretInformer.RunAsync(cancellationToken));

    /// <summary>Waits until both caches hold their first LIST.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(deviceInformer.WaitForSyncAsync(cancellationToken), secretInformer.WaitForSyncAsync(cancellationToken));

    private void OnDevice(Device device)
    {
        var id = device.Metadata.Name;
        var entry = new DeviceEntry(
            device.Spec.Auth?.ExistingSecret ?? device.Status?.CredentialsSecret,
            device.Spec.Auth?.Mode ?? DeviceAuthMode.Password,
            device.Spec.Disabled == true);
        lock (gate)
        {
            if (devices.TryGetValue(id, out var old) && old.SecretName is { } oldSecret && devicesBySecret.TryGetValue(oldSecret, out var users))
            {
                users.Remove(id);
            }

            devices[id] = entry;
            if (entry.SecretName is { } secretName)
            {
                if (!devicesBySecret.TryGetValue(secretName, out var set))
                {
                    devicesBySecret[secretName] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(id);
            }
        }

        Recompute([id]);
    }

    private void OnDeviceDeleted(Device device)
    {
        var id = device.Metadata.Name;
        lock (gate)
        {
            if (devices.Remove(id, out var old) && old.SecretName is { } secretName && devicesBySecret.TryGetValue(secretName, out var users))
            {
                users.Remove(id);
            }
        }

        Recompute([id]);
    }

    private void OnSecret(V1Secret secret)
    {
        var name = secret.Metadata.Name;
        if (name == CredentialsSecret.CaSecretName)
        {
            Volatile.Write(ref clientCa, ReadCa(secret));
            return;
        }

        var data = secret.Data;
        var hash = data is not null && data.TryGetValue(CredentialsSecret.PasswordHashKey, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        var disabled = secret.Metadata.Annotations?.TryGetValue(CredentialsSecret.DisabledAnnotation, out var flag) == true && flag == "true";
        string[] affected;
        lock (gate)
        {
            secrets[name] = new SecretEntry(hash, disabled);
            affected = devicesBySecret.TryGetValue(name, out var users) ? [.. users] : [];
        }

        Recompute(affected);
    }

    private void OnSecretDeleted(V1Secret secret)
    {
        var name = secret.Metadata.Name;
        if (name == CredentialsSecret.CaSecretName)
        {
            Volatile.Write(ref clientCa, null);
            return;
        }

        string[] affected;
        lock (gate)
        {
            secrets.Remove(name);
            affected = devicesBySecret.TryGetValue(name, out var users) ? [.. users] : [];
        }

        Recompute(affected);
    }

    private void Recompute(IReadOnlyList<string> ids)
    {
        var changed = new List<string>();
        lock (gate)
        {
            foreach (var id in ids)
            {
                DeviceRecord? record = null;
                if (devices.TryGetValue(id, out var device))
                {
                    var secret = device.SecretName is { } name ? secrets.GetValueOrDefault(name) : null;
                    record = new DeviceRecord(id, device.Mode, secret?.PasswordHash, device.Disabled || secret?.Disabled == true);
                }

                var old = records.GetValueOrDefault(id);
                if (record == old)
                {
                    continue;
                }

                if (record is null)
                {
                    records.Remove(id);
                }
                else
                {
                    records[id] = record;
                }

                changed.Add(id);
            }
        }

        foreach (var id in changed)
        {
            DeviceChanged?.Invoke(id);
        }
    }

    private static X509Certificate2? ReadCa(V1Secret secret)
    {
        if (secret.Data?.TryGetValue(CredentialsSecret.CaCrtKey, out var pem) != true || pem is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(pem));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private sealed record DeviceEntry(string? SecretName, DeviceAuthMode Mode, bool Disabled);

    private sealed record SecretEntry(string? PasswordHash, bool Disabled);
}
