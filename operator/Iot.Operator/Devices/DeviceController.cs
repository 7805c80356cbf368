using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Api.Validation;
using Iot.Kube;
using Iot.Operator.Common;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Operator.Devices;

/// <summary>
/// Reconciles Devices (DESIGN.md §4/§5): issues each Device's credentials Secret (or checks its existing Secret), rotates
/// them on request, marks them disabled, resolves the Device's Room and reports phase, topics and conditions. Reads
/// only caches (Devices, Rooms, Secrets, and its own latest writes) and writes only what differs, so a reconcile of an
/// unchanged Device sends no request at all.
/// </summary>
public sealed class DeviceController : IReconciler<Device>
{
    /// <summary>Condition types.</summary>
    public const string CredentialsReady = "CredentialsReady", RoomResolved = "RoomResolved", Ready = "Ready";

    /// <summary>The Device resource.</summary>
    public static readonly KubeResource Devices = KubeResource.For<Device>();

    /// <summary>The Room resource.</summary>
    public static readonly KubeResource Rooms = KubeResource.For<Room>();

    /// <summary>The core Secret resource.</summary>
    public static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    private readonly DeviceControllerOptions options;
    private readonly TimeProvider time;
    private readonly ResourceClient<V1Secret> secrets;
    private readonly StatusPatcher statusPatcher;
    private readonly Informer<Room> roomCache;
    private readonly Informer<V1Secret> secretCache;
    private readonly OwnWrites<Device> ownDevices = new();
    private readonly OwnWrites<V1Secret> ownSecrets = new();

    private DeviceController(IKubernetes client, DeviceControllerOptions options, TimeProvider time, Informer<Room> rooms, Informer<V1Secret> secrets)
    {
        this.options = options;
        this.time = time;
        this.secrets = new ResourceClient<V1Secret>(client, Secrets);
        statusPatcher = new StatusPatcher(client);
        roomCache = rooms;
        secretCache = secrets;
    }

    /// <summary>
    /// The Device controller. Reconciles a Device when its spec or metadata changes (status-only updates, like the
    /// broker's connection status, are ignored), when a Secret it owns or names changes, and when its Room appears or
    /// disappears.
    /// </summary>
    public static Controller<Device> Create(IKubernetes client, DeviceControllerOptions options, TimeProvider time, ControllerOptions? controllerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var settings = controllerOptions ?? new ControllerOptions { Name = "device" };
        settings = settings with { Informers = settings.Informers ?? new InformerFactory(client) };
        var reconciler = new DeviceController(
            client,
            options,
            time,
            settings.Informers.Get<Room>(Rooms, settings.Informer),
            settings.Informers.Get<V1Secret>(Secrets, settings.Informer));
        var controller = new Controller<Device>(client, Devices, reconciler, settings)
            .WithEventFilter(EventPredicates.NotStatusOnly<Device>());
        // One Secret informer serves both the owned credentials Secrets (like Owns) and the existing Secrets Devices name.
        controller.Watches<V1Secret>(Secrets, secret => DevicesOfSecret(controller.Informer, secret));
        // Only a Room's existence matters to its Devices; its status (deviceCount) changes with every Device.
        controller.Watches<Room>(Rooms, room => DevicesInRoom(controller.Informer, room), predicate: new EventPredicate<Room> { Update = static (_, _) => false });
        return controller;
    }

    /// <summary>The keys of the Device controlling <paramref name="secret"/> and of the cached Devices naming it as auth.existingSecret.</summary>
    public static IEnumerable<string> DevicesOfSecret(Informer<Device> devices, V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in secret.Metadata.OwnerReferences ?? [])
        {
            if (reference.Controller == true && reference.Kind == "Device" && reference.ApiVersion == Iot.Api.IotApi.ApiVersion)
            {
                keys.Add(ResourceClient<Device>.KeyOf(ns, reference.Name));
            }
        }

        foreach (var device in devices.List(ns))
        {
            if (string.Equals(device.Spec.Auth?.ExistingSecret, secret.Metadata.Name, StringComparison.Ordinal))
            {
                keys.Add(ResourceClient<Device>.KeyOf(device));
            }
        }

        return keys;
    }

    /// <summary>The keys of the cached Devices naming <paramref name="room"/> as their room.</summary>
    public static IEnumerable<string> DevicesInRoom(Informer<Device> devices, Room room) =>
        devices.List(room.Metadata.NamespaceProperty)
            .Where(d => string.Equals(d.Spec.Room, room.Metadata.Name, StringComparison.Ordinal))
            .Select(ResourceClient<Device>.KeyOf)
            .ToList();

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, Device? cached, CancellationToken cancellationToken)
    {
        // The cache may lag behind our own last status write; computing from it would write the same status again.
        var device = ownDevices.Read(key, cached);
        if (device is null || device.Metadata.DeletionTimestamp is not null)
        {
            ownDevices.Forget(key);
            var (deviceNamespace, deviceName) = ResourceClient<Device>.SplitKey(key);
            ownSecrets.Forget(ResourceClient<V1Secret>.KeyOf(deviceNamespace, CredentialsSecret.NameFor(deviceName)));
            return ReconcileResult.Done; // the credentials Secret is garbage-collected through its ownerReference
        }

        var id = device.Metadata.Name;
        var ns = device.Metadata.NamespaceProperty;
        var generation = device.Metadata.Generation;
        // A copy: the conditions are edited in place and compared with the current status before writing.
        var conditions = (device.Status?.Conditions ?? []).Select(c => new Condition { Type = c.Type, Status = c.Status, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime, Reason = c.Reason, Message = c.Message }).ToList();
        var status = new DeviceStatus
        {
            Phase = DevicePhase.Pending,
            CredentialsSecret = device.Status?.CredentialsSecret,
            Topics = DeviceTopics.For(id),
            Connection = device.Status?.Connection,
        };

        var errors = ResourceValidator.Validate(device);
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            Set(conditions, Ready, false, "InvalidSpec", message, generation);
            status.Phase = DevicePhase.Failed;
            await WriteStatusAsync(device, status, conditions, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        // Room resolution.
        var roomOk = true;
        if (!string.IsNullOrEmpty(device.Spec.Room))
        {
            roomOk = roomCache.Get(ns, device.Spec.Room) is not null;
            if (roomOk)
            {
                Set(conditions, RoomResolved, true, "RoomFound", $"room {device.Spec.Room}", generation);
            }
            else
            {
                Set(conditions, RoomResolved, false, "RoomNotFound", $"room {device.Spec.Room} does not exist in namespace {ns}", generation);
            }
        }
        else
        {
            Set(conditions, RoomResolved, true, "NoRoom", "the device names no room", generation);
        }

        // Credentials.
        var (credentialsOk, secretName, reason, detail) = string.IsNullOrEmpty(device.Spec.Auth?.ExistingSecret)
            ? await EnsureIssuedSecretAsync(device, cancellationToken).ConfigureAwait(false)
            : CheckExistingSecret(device, device.Spec.Auth!.ExistingSecret!);
        Set(conditions, CredentialsReady, credentialsOk, reason, detail, generation);
        status.CredentialsSecret = credentialsOk ? secretName : status.CredentialsSecret;

        if (!credentialsOk)
        {
            Set(conditions, Ready, false, reason, detail, generation);
            status.Phase = DevicePhase.Pending;
        }
        else if (!roomOk)
        {
            Set(conditions, Ready, false, "RoomNotFound", $"room {device.Spec.Room} does not exist in namespace {ns}", generation);
            status.Phase = DevicePhase.Pending;
        }
        else if (device.Spec.Disabled == true)
        {
            Set(conditions, Ready, false, "Disabled", "spec.disabled is true: broker access is revoked", generation);
            status.Phase = DevicePhase.Disabled;
        }
        else
        {
            Set(conditions, Ready, true, "Ready", $"credentials in Secret {secretName}", generation);
            status.Phase = DevicePhase.Ready;
        }

        await WriteStatusAsync(device, status, conditions, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private (bool Ok, string Secret, string Reason, string Message) CheckExistingSecret(Device device, string name)
    {
        var secret = secretCache.Get(device.Metadata.NamespaceProperty, name);
        if (secret is null)
        {
            return (false, name, "SecretNotFound", $"Secret {name} does not exist");
        }

        var missing = DeviceSecretBuilder.RequiredKeys(DeviceSecretBuilder.Mode(device))
            .Where(k => secret.Data?.ContainsKey(k) != true && secret.StringData?.ContainsKey(k) != true)
            .ToList();
        return missing.Count > 0
            ? (false, name, "SecretMissingKeys", $"Secret {name} is missing key{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}")
            : (true, name, "ExistingSecret", $"using Secret {name}");
    }

    private async Task<(bool Ok, string Secret, string Reason, string Message)> EnsureIssuedSecretAsync(Device device, CancellationToken cancellationToken)
    {
        var id = device.Metadata.Name;
        var ns = device.Metadata.NamespaceProperty;
        var name = CredentialsSecret.NameFor(id);
        var mode = DeviceSecretBuilder.Mode(device);
        var secretKey = ResourceClient<V1Secret>.KeyOf(ns, name);
        var existing = ownSecrets.Read(secretKey, secretCache.Get(secretKey));
        if (existing is null)
        {
            var credentials = await IssueAsync(device, mode, cancellationToken).ConfigureAwait(false);
            try
            {
                ownSecrets.Record(secretKey, null, await secrets.CreateAsync(DeviceSecretBuilder.Build(device, options, credentials), cancellationToken).ConfigureAwait(false));
                return (true, name, "CredentialsIssued", $"credentials in Secret {name}");
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The Secret exists but the cache has not shown it yet: read it once and carry on with it.
                existing = await secrets.GetAsync(name, ns, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Secret {ns}/{name} was created and deleted concurrently; retrying", e);
            }
        }

        if (!DeviceSecretBuilder.IsOwnedBy(existing, device))
        {
            return (false, name, "SecretConflict", $"Secret {name} exists and is not owned by this Device");
        }

        var current = (existing.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        var currentAnnotations = existing.Metadata.Annotations ?? new Dictionary<string, string>();
        var rotateRequest = DeviceSecretBuilder.RotationRequest(device);
        currentAnnotations.TryGetValue(CredentialsSecret.RotatedForAnnotation, out var rotatedFor);
        var rotate = !string.Equals(rotateRequest ?? "", rotatedFor ?? "", StringComparison.Ordinal);
        var incomplete = DeviceSecretBuilder.IssuedKeysOf(mode).Any(k => !current.ContainsKey(k));

        var desired = new Dictionary<string, byte[]>(current, StringComparer.Ordinal);
        foreach (var (k, v) in DeviceSecretBuilder.ConnectionData(device, options))
        {
            desired[k] = Encoding.UTF8.GetBytes(v);
        }

        var desiredRotatedFor = rotatedFor;
        if (rotate || incomplete)
        {
            foreach (var k in DeviceSecretBuilder.IssuedKeys)
            {
                desired.Remove(k);
            }

            var credentials = await IssueAsync(device, mode, cancellationToken).ConfigureAwait(false);
            foreach (var (k, v) in DeviceSecretBuilder.IssuedData(credentials))
            {
                desired[k] = Encoding.UTF8.GetBytes(v);
            }

            desiredRotatedFor = rotateRequest;
        }

        var patch = new JsonObject();
        var metadata = new JsonObject();
        var annotations = new JsonObject();
        foreach (var (k, v) in DeviceSecretBuilder.ManagedAnnotations(device, desiredRotatedFor))
        {
            currentAnnotations.TryGetValue(k, out var have);
            if (!string.Equals(have, v, StringComparison.Ordinal))
            {
                annotations[k] = v;
            }
        }

        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }

        if (existing.Metadata.Labels?.TryGetValue(CredentialsSecret.ManagedByLabel, out var label) != true || label != CredentialsSecret.ManagedByValue)
        {
            metadata["labels"] = new JsonObject { [CredentialsSecret.ManagedByLabel] = CredentialsSecret.ManagedByValue };
        }

        if (metadata.Count > 0)
        {
            patch["metadata"] = metadata;
        }

        var data = new JsonObject();
        foreach (var (k, v) in desired)
        {
            if (!current.TryGetValue(k, out var have) || !have.AsSpan().SequenceEqual(v))
            {
                data[k] = Convert.ToBase64String(v);
            }
        }

        foreach (var k in current.Keys.Where(k => !desired.ContainsKey(k)))
        {
            data[k] = null;
        }

        if (data.Count > 0)
        {
            patch["data"] = data;
        }

        if (patch.Count > 0)
        {
            ownSecrets.Record(secretKey, existing.Metadata.ResourceVersion, await secrets.MergePatchAsync(name, ns, patch.ToJsonString(), cancellationToken).ConfigureAwait(false));
        }

        return (true, name, rotate ? "CredentialsRotated" : "CredentialsIssued", $"credentials in Secret {name}");
    }

    private async Task<IssuedCredentials> IssueAsync(Device device, DeviceAuthMode mode, CancellationToken cancellationToken)
    {
        var ca = mode == DeviceAuthMode.Certificate
            ? await EnsureCaAsync(device.Metadata.NamespaceProperty, cancellationToken).ConfigureAwait(false)
            : null;
        return IssuedCredentials.Issue(mode, device.Metadata.Name, ca, time.GetUtcNow());
    }

    private async Task<CertificateMaterial> EnsureCaAsync(string ns, CancellationToken cancellationToken)
    {
        var caKey = ResourceClient<V1Secret>.KeyOf(ns, CredentialsSecret.CaSecretName);
        var existing = ownSecrets.Read(caKey, secretCache.Get(caKey));
        if (existing is not null)
        {
            return DeviceSecretBuilder.ReadCa(existing)
                ?? throw new InvalidOperationException($"Secret {ns}/{CredentialsSecret.CaSecretName} lacks ca.crt or ca.key");
        }

        var ca = DeviceCertificateAuthority.CreateCa(ns, time.GetUtcNow());
        try
        {
            ownSecrets.Record(caKey, null, await secrets.CreateAsync(DeviceSecretBuilder.BuildCaSecret(ns, ca), cancellationToken).ConfigureAwait(false));
            return ca;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Another worker created it first: use theirs.
            var created = await secrets.GetAsync(CredentialsSecret.CaSecretName, ns, cancellationToken).ConfigureAwait(false);
            return (created is null ? null : DeviceSecretBuilder.ReadCa(created))
                ?? throw new InvalidOperationException($"Secret {ns}/{CredentialsSecret.CaSecretName} lacks ca.crt or ca.key", e);
        }
    }

    private async Task WriteStatusAsync(Device device, DeviceStatus status, List<Condition> conditions, CancellationToken cancellationToken)
    {
        status.Conditions = conditions;
        if (await statusPatcher.PatchAsync(Devices, device, status, cancellationToken).ConfigureAwait(false) is { } written)
        {
            ownDevices.Record(ResourceClient<Device>.KeyOf(device), device.Metadata.ResourceVersion, written);
        }
    }

    private void Set(List<Condition> conditions, string type, bool value, string reason, string message, long? generation) =>
        ResourceConditions.Set(conditions, type, value ? ConditionStatus.True : ConditionStatus.False, reason, message, generation, time);
}
