using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Api.Validation;
using Iot.Kube;
using Iot.Operator.Common;
using Iot.Storage.Influx;

using k8s;

namespace Iot.Operator.Rooms;

/// <summary>Settings of the Room controller's InfluxDB retention.</summary>
public sealed record RetentionOptions
{
    /// <summary>The InfluxDB to apply retention to; null: no InfluxDB (the embedded store applies raw retention itself).</summary>
    public InfluxOptions? InfluxDb { get; init; }

    /// <summary>How long <c>default_raw</c> (devices without a room) keeps points.</summary>
    public TimeSpan DefaultRaw { get; init; } = RetentionPlan.DefaultRaw;

    /// <summary>How often each Room's retention is checked against InfluxDB, so a policy altered or dropped by hand is restored.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Keeps each Room's status — deviceCount (the Devices naming it), observedGeneration, Ready — and, with an InfluxDB, its
/// retention (<see cref="RetentionPlan"/>): applied on every change and every <see cref="RetentionOptions.Resync"/>,
/// drift restored with a Warning Event, RetentionApplied False with the reason while InfluxDB fails (retried with
/// backoff; other Rooms are unaffected). A finalizer drops the Room's continuous queries on deletion, and its data with
/// <c>spec.retention.deleteDataOnRemoval</c>.
/// </summary>
public sealed class RoomController : IReconciler<Room>
{
    /// <summary>The condition saying whether the Room's retention is in InfluxDB.</summary>
    public const string RetentionApplied = "RetentionApplied";

    /// <summary>The finalizer that removes a Room's continuous queries (and optionally data) from InfluxDB.</summary>
    public const string Finalizer = "iotoperator.io/retention";

    /// <summary>Where Rooms live in the API.</summary>
    public static readonly KubeResource Rooms = KubeResource.For<Room>();

    /// <summary>Where Devices live in the API.</summary>
    public static readonly KubeResource Devices = KubeResource.For<Device>();

    private readonly ResourceClient<Room> rooms;
    private readonly StatusPatcher patcher;
    private readonly TimeProvider time;
    private readonly RetentionOptions options;
    private readonly RetentionApplier? retention;
    private readonly EventRecorder events;
    private readonly Informer<Device> deviceCache;
    private readonly OwnWrites<Room> ownRooms = new();

    private RoomController(IKubernetes client, TimeProvider time, RetentionOptions options, Informer<Device> devices)
    {
        rooms = new ResourceClient<Room>(client, Rooms);
        patcher = new StatusPatcher(client);
        this.time = time;
        this.options = options;
        retention = options.InfluxDb is { } influx ? new RetentionApplier(new InfluxClient(influx), options.DefaultRaw) : null;
        events = new EventRecorder(client, new EventRecorderOptions { Component = "iot-operator" }, time);
        deviceCache = devices;
    }

    /// <summary>
    /// A Room controller that also watches Devices: a Device change requeues the room it names before and after the
    /// change (the informer hands over both versions), so a Device moving rooms recounts both.
    /// </summary>
    public static Controller<Room> Create(IKubernetes client, TimeProvider time, RetentionOptions? retention = null, ControllerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var settings = options ?? new ControllerOptions { Name = "room" };
        settings = settings with { Informers = settings.Informers ?? new InformerFactory(client) };
        var reconciler = new RoomController(client, time, retention ?? new RetentionOptions(), settings.Informers.Get<Device>(Devices, settings.Informer));

        // Only spec changes (a Device moving rooms) and deletes can change a count: status writes are filtered out.
        return new Controller<Room>(client, Rooms, reconciler, settings)
            .Watches<Device>(Devices, RoomKeys, predicate: EventPredicates.GenerationChanged<Device>());
    }

    /// <summary>The key of the Room <paramref name="device"/> names, if any.</summary>
    internal static IEnumerable<string> RoomKeys(Device device) =>
        device.Spec?.Room is { Length: > 0 } room ? [ResourceClient<Room>.KeyOf(device.Metadata.NamespaceProperty, room)] : [];

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, Room? cached, CancellationToken cancellationToken)
    {
        var room = ownRooms.Read(key, cached);
        if (room is null)
        {
            ownRooms.Forget(key);
            return ReconcileResult.Done;
        }

        var ns = room.Metadata.NamespaceProperty;
        var name = room.Metadata.Name;
        if (room.Metadata.DeletionTimestamp is not null)
        {
            if (retention is not null && room.Metadata.Finalizers?.Contains(Finalizer) == true)
            {
                await retention.RemoveAsync(ns, name, room.Spec?.Retention?.DeleteDataOnRemoval == true, cancellationToken).ConfigureAwait(false);
                await rooms.RemoveFinalizerAsync(room, Finalizer, cancellationToken).ConfigureAwait(false);
            }

            return ReconcileResult.Done;
        }

        if (retention is not null && room.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            room = await rooms.AddFinalizerAsync(room, Finalizer, cancellationToken).ConfigureAwait(false);
        }

        var generation = room.Metadata.Generation;
        var status = Copy(room.Status);
        status.DeviceCount = deviceCache.CountWhere(ns, d => d.Spec?.Room == name);
        status.ObservedGeneration = generation;
        status.Conditions ??= [];
        var errors = ResourceValidator.Validate(room);
        Exception? failure = null;
        if (errors.Count > 0)
        {
            Set(status, ResourceConditions.Ready, false, "InvalidSpec", ResourceConditions.Describe(errors), generation);
        }
        else
        {
            var (applied, reason, message) = retention is null ? (true, "", "") : await ApplyRetentionAsync(room, status, e => failure = e, cancellationToken).ConfigureAwait(false);
            if (applied)
            {
                Set(status, ResourceConditions.Ready, true, "Reconciled", $"{status.DeviceCount} device(s) in the room", generation);
            }
            else
            {
                Set(status, ResourceConditions.Ready, false, reason, message, generation);
            }
        }

        if (await patcher.PatchAsync(Rooms, room, status, cancellationToken).ConfigureAwait(false) is { } written)
        {
            ownRooms.Record(key, room.Metadata.ResourceVersion, written);
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"retention of Room {key} not applied; retrying with backoff", failure);
        }

        return retention is null ? ReconcileResult.Done : ReconcileResult.Requeue(options.Resync);
    }

    private async Task<(bool Applied, string Reason, string Message)> ApplyRetentionAsync(Room room, RoomStatus status, Action<Exception> failed, CancellationToken cancellationToken)
    {
        var ns = room.Metadata.NamespaceProperty;
        var plan = RetentionPlan.For(ns, room);
        try
        {
            var changes = await retention!.ApplyAsync(ns, room.Metadata.Name, plan, cancellationToken).ConfigureAwait(false);
            var retentionSpec = room.Spec?.Retention;
            var rollups = retentionSpec?.Rollups?.Select(r => new Rollup { Every = r.Every, Keep = r.Keep }).ToList();
            var raw = retentionSpec?.Raw ?? "7d";
            var unchangedSpec = status.Retention is { } previous && previous.Raw == raw
                && (previous.Rollups ?? []).Select(r => (r.Every, r.Keep)).SequenceEqual((rollups ?? []).Select(r => (r.Every, r.Keep)));
            if (changes.Count > 0 && unchangedSpec)
            {
                // The spec did not change, yet InfluxDB did not match it: someone altered or dropped something by hand.
                events.Warning(room, "RetentionRestored", "InfluxDB drifted from the Room's retention; " + string.Join("; ", changes));
            }

            if (changes.Count > 0 || status.Retention is null || !unchangedSpec)
            {
                status.Retention = new AppliedRetention { Raw = raw, Rollups = rollups, AppliedAt = time.GetUtcNow().UtcDateTime };
            }

            var message = $"{plan.Policies.Count} retention policies and {plan.Queries.Count} continuous queries in database {ns}";
            Set(status, RetentionApplied, true, "Applied", message, room.Metadata.Generation);
            return (true, "", "");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InfluxException)
        {
            var reason = e is InfluxException ? "InfluxDBError" : "InfluxDBUnreachable";
            var message = $"InfluxDB at {retention!.Address}: {e.Message}";
            Set(status, RetentionApplied, false, reason, message, room.Metadata.Generation);
            failed(e);
            return (false, reason, message);
        }
    }

    private void Set(RoomStatus status, string type, bool value, string reason, string message, long? generation) =>
        ResourceConditions.Set(status.Conditions!, type, value ? ConditionStatus.True : ConditionStatus.False, reason, message, generation, time);

    private static RoomStatus Copy(RoomStatus? status) =>
        status is null ? new RoomStatus() : KubernetesJson.Deserialize<RoomStatus>(KubernetesJson.Serialize(status));
}
