using System.Security.Cryptography.X509Certificates;
using System.Text;

using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Kube;
using Iot.LocalCluster;
using Iot.Operator.Devices;

using k8s;
using k8s.Models;

namespace Iot.Operator.Tests.Devices;

public sealed class DeviceControllerTests
{
    private const string Namespace = "test";
    private static readonly DeviceControllerOptions Options = new();

    [Fact]
    public async Task A_device_gets_an_owned_credentials_secret_and_a_ready_status_and_the_secret_goes_with_it()
    {
        await using var env = await Env.StartAsync();
        var device = await env.Devices.CreateAsync(NewDevice("thermo-1"));

        var secret = await env.EventuallyAsync(() => env.Secrets.GetAsync("thermo-1-credentials", Namespace), s => s is not null, "the Secret was created");
        var owner = Assert.Single(secret!.Metadata.OwnerReferences);
        Assert.Equal(("Device", "thermo-1", device.Metadata.Uid, true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("iot-operator", secret.Metadata.Labels["app.kubernetes.io/managed-by"]);
        var data = Text(secret);
        Assert.Equal(["clientId", "host", "password", "password.hash", "port", "username"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("thermo-1", "thermo-1", "iot-broker", "1883"), (data["username"], data["clientId"], data["host"], data["port"]));
        Assert.True(DeviceCredentials.Verify(data["password"], data["password.hash"]));

        var ready = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");
        Assert.Equal("thermo-1-credentials", ready.Status!.CredentialsSecret);
        Assert.Equal("devices/thermo-1/telemetry", ready.Status.Topics!.Telemetry);
        Assert.Equal("devices/thermo-1/command", ready.Status.Topics.Command);
        Assert.Equal(ready.Metadata.Generation, ready.Status.ObservedGeneration);
        Assert.Equal(["CredentialsReady", "Ready", "RoomResolved"], ready.Status.Conditions!.Select(c => c.Type).Order(StringComparer.Ordinal));
        Assert.All(ready.Status.Conditions!, c => Assert.Equal(Iot.Api.Common.ConditionStatus.True, c.Status));

        await env.Devices.DeleteAsync("thermo-1", Namespace);
        await env.EventuallyAsync(() => env.Secrets.GetAsync("thermo-1-credentials", Namespace), s => s is null, "the Secret was garbage-collected");
    }

    [Fact]
    public async Task A_new_rotation_annotation_value_issues_a_new_password()
    {
        await using var env = await Env.StartAsync();
        await env.Devices.CreateAsync(NewDevice("thermo-1"));
        await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");
        var before = Text((await env.Secrets.GetAsync("thermo-1-credentials", Namespace))!);

        await env.Devices.MergePatchAsync("thermo-1", Namespace, new { metadata = new { annotations = new Dictionary<string, string> { [CredentialsSecret.RotateAnnotation] = "2026-01-01" } } });
        var rotated = await env.EventuallyAsync(
            () => env.Secrets.GetAsync("thermo-1-credentials", Namespace),
            s => s?.Metadata.Annotations?.TryGetValue(CredentialsSecret.RotatedForAnnotation, out var v) == true && v == "2026-01-01",
            "the Secret was rotated");
        var after = Text(rotated!);
        Assert.NotEqual(before["password"], after["password"]);
        Assert.NotEqual(before["password.hash"], after["password.hash"]);
        Assert.True(DeviceCredentials.Verify(after["password"], after["password.hash"]));
        Assert.False(DeviceCredentials.Verify(before["password"], after["password.hash"]));
    }

    [Fact]
    public async Task Disabling_marks_the_secret_and_the_phase_and_re_enabling_reverts_both()
    {
        await using var env = await Env.StartAsync();
        await env.Devices.CreateAsync(NewDevice("thermo-1"));
        await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");
        var password = Text((await env.Secrets.GetAsync("thermo-1-credentials", Namespace))!)["password"];

        await env.Devices.MergePatchAsync("thermo-1", Namespace, new { spec = new { disabled = true } });
        var disabled = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Disabled, "the Device is Disabled");
        var readyCondition = disabled.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal((Iot.Api.Common.ConditionStatus.False, "Disabled"), (readyCondition.Status, readyCondition.Reason));
        var secret = await env.EventuallyAsync(
            () => env.Secrets.GetAsync("thermo-1-credentials", Namespace),
            s => s?.Metadata.Annotations?.TryGetValue(CredentialsSecret.DisabledAnnotation, out var v) == true && v == "true",
            "the Secret is marked disabled");
        Assert.Equal(password, Text(secret!)["password"]);

        await env.Devices.MergePatchAsync("thermo-1", Namespace, new { spec = new { disabled = false } });
        await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready again");
        await env.EventuallyAsync(
            () => env.Secrets.GetAsync("thermo-1-credentials", Namespace),
            s => s?.Metadata.Annotations?.ContainsKey(CredentialsSecret.DisabledAnnotation) != true,
            "the disabled mark was removed");
    }

    [Fact]
    public async Task An_unknown_room_holds_the_device_pending_until_the_room_is_created()
    {
        await using var env = await Env.StartAsync();
        var device = NewDevice("thermo-1");
        device.Spec.Room = "lab-1";
        await env.Devices.CreateAsync(device);
        var pending = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Conditions?.Any(c => c.Type == "RoomResolved") == true, "the room was looked up");
        var roomCondition = pending.Status!.Conditions!.Single(c => c.Type == "RoomResolved");
        Assert.Equal((Iot.Api.Common.ConditionStatus.False, "RoomNotFound"), (roomCondition.Status, roomCondition.Reason));
        Assert.Equal(DevicePhase.Pending, pending.Status.Phase);
        Assert.Equal(Iot.Api.Common.ConditionStatus.False, pending.Status.Conditions!.Single(c => c.Type == "Ready").Status);

        await new ResourceClient<Room>(env.Client, DeviceController.Rooms).CreateAsync(new Room { Metadata = new V1ObjectMeta { Name = "lab-1", NamespaceProperty = Namespace } });
        var ready = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready once the Room exists");
        Assert.Equal(Iot.Api.Common.ConditionStatus.True, ready.Status!.Conditions!.Single(c => c.Type == "RoomResolved").Status);
    }

    [Fact]
    public async Task A_condition_s_transition_time_moves_only_when_its_status_changes()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var env = await Env.StartAsync(time);
        var device = NewDevice("thermo-1");
        device.Spec.Room = "lab-1";
        await env.Devices.CreateAsync(device);
        var pending = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Conditions?.Count == 3, "the Device has its conditions");
        var start = time.GetUtcNow().UtcDateTime;
        Assert.All(pending.Status!.Conditions!, c => Assert.Equal(start, c.LastTransitionTime.ToUniversalTime()));

        time.Advance(TimeSpan.FromMinutes(5));
        await new ResourceClient<Room>(env.Client, DeviceController.Rooms).CreateAsync(new Room { Metadata = new V1ObjectMeta { Name = "lab-1", NamespaceProperty = Namespace } });
        var ready = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");
        var transitions = ready.Status!.Conditions!.ToDictionary(c => c.Type, c => c.LastTransitionTime.ToUniversalTime());
        Assert.Equal(start, transitions["CredentialsReady"]);
        Assert.Equal(start.AddMinutes(5), transitions["RoomResolved"]);
        Assert.Equal(start.AddMinutes(5), transitions["Ready"]);
    }

    [Fact]
    public async Task Switching_to_certificate_auth_replaces_the_password_with_a_certificate()
    {
        await using var env = await Env.StartAsync();
        await env.Devices.CreateAsync(NewDevice("thermo-1"));
        await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");

        await env.Devices.MergePatchAsync("thermo-1", Namespace, new { spec = new { auth = new { mode = "certificate" } } });
        var secret = await env.EventuallyAsync(
            () => env.Secrets.GetAsync("thermo-1-credentials", Namespace),
            s => s?.Data?.ContainsKey("tls.crt") == true,
            "the Secret holds a certificate");
        Assert.Equal(["ca.crt", "clientId", "host", "port", "tls.crt", "tls.key", "username"], Text(secret!).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("8883", Text(secret!)["port"]);
    }

    [Fact]
    public async Task An_existing_secret_is_checked_for_the_required_keys_and_never_written()
    {
        await using var env = await Env.StartAsync();
        await env.Secrets.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "own-creds", NamespaceProperty = Namespace },
            StringData = new Dictionary<string, string> { ["username"] = "thermo-1", ["password"] = "p", ["host"] = "h", ["port"] = "1", ["clientId"] = "thermo-1" },
        });
        var device = NewDevice("thermo-1");
        device.Spec.Auth = new DeviceAuth { ExistingSecret = "own-creds" };
        await env.Devices.CreateAsync(device);

        // The Secret cache may show the Secret a moment after the Device arrives: wait for the verdict on its keys.
        var pending = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Message?.Contains("missing", StringComparison.Ordinal) == true) == true, "the Device's Secret was checked");
        var readyCondition = pending.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(Iot.Api.Common.ConditionStatus.False, readyCondition.Status);
        Assert.Contains("password.hash", readyCondition.Message, StringComparison.Ordinal);
        Assert.Equal(DevicePhase.Pending, pending.Status.Phase);

        AssertNoWritesTo(env, "own-creds");
        await env.Secrets.MergePatchAsync("own-creds", Namespace, new { stringData = new Dictionary<string, string> { ["password.hash"] = DeviceCredentials.Hash("p", 1000) } });
        env.Cluster.RequestLog.Clear();
        var ready = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready once the key exists");
        Assert.Equal("own-creds", ready.Status!.CredentialsSecret);
        Assert.Null(await env.Secrets.GetAsync("thermo-1-credentials", Namespace));
        AssertNoWritesTo(env, "own-creds");
    }

    [Fact]
    public async Task A_credentials_secret_the_device_does_not_own_is_left_alone()
    {
        await using var env = await Env.StartAsync();
        await env.Secrets.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "thermo-1-credentials", NamespaceProperty = Namespace },
            StringData = new Dictionary<string, string> { ["note"] = "someone else's" },
        });
        await env.Devices.CreateAsync(NewDevice("thermo-1"));

        var pending = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Conditions?.Any(c => c.Type == "CredentialsReady") == true, "the credentials were looked at");
        var credentials = pending.Status!.Conditions!.Single(c => c.Type == "CredentialsReady");
        Assert.Equal((Iot.Api.Common.ConditionStatus.False, "SecretConflict"), (credentials.Status, credentials.Reason));
        Assert.Equal(DevicePhase.Pending, pending.Status.Phase);
        Assert.Equal(["note"], Text((await env.Secrets.GetAsync("thermo-1-credentials", Namespace))!).Keys);
    }

    [Fact]
    public async Task An_invalid_spec_fails_the_device_naming_the_field()
    {
        await using var env = await Env.StartAsync();
        var device = NewDevice("thermo-1");
        device.Spec.Telemetry = [new TelemetryField { Name = "t", Type = TelemetryType.Number, Min = 10, Max = 1 }];
        await env.Devices.CreateAsync(device);

        var failed = await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Failed, "the Device Failed");
        var readyCondition = failed.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal("InvalidSpec", readyCondition.Reason);
        Assert.Contains("spec.telemetry[0].min: ", readyCondition.Message, StringComparison.Ordinal);
        Assert.Null(await env.Secrets.GetAsync("thermo-1-credentials", Namespace));
    }

    [Fact]
    public async Task Certificate_devices_get_a_client_certificate_signed_by_the_namespace_ca()
    {
        await using var env = await Env.StartAsync();
        var device = NewDevice("cam-1");
        device.Spec.Auth = new DeviceAuth { Mode = DeviceAuthMode.Certificate };
        await env.Devices.CreateAsync(device);
        await env.WaitForDeviceAsync("cam-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");

        var data = Text((await env.Secrets.GetAsync("cam-1-credentials", Namespace))!);
        var ca = Text((await env.Secrets.GetAsync("iot-device-ca", Namespace))!);
        Assert.Equal("8883", data["port"]);
        Assert.Equal(ca["ca.crt"], data["ca.crt"]);
        using var caCertificate = X509Certificate2.CreateFromPem(ca["ca.crt"]);
        using var certificate = X509Certificate2.CreateFromPem(data["tls.crt"], data["tls.key"]);
        Assert.Equal("cam-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reconciling_an_unchanged_device_sends_no_write_request(bool certificate)
    {
        await using var env = await Env.StartAsync();
        var device = NewDevice("thermo-1");
        if (certificate)
        {
            device.Spec.Auth = new DeviceAuth { Mode = DeviceAuthMode.Certificate };
        }

        device.Spec.Room = "lab-1";
        await new ResourceClient<Room>(env.Client, DeviceController.Rooms).CreateAsync(new Room { Metadata = new V1ObjectMeta { Name = "lab-1", NamespaceProperty = Namespace } });
        await env.Devices.CreateAsync(device);
        await env.WaitForDeviceAsync("thermo-1", d => d.Status?.Phase == DevicePhase.Ready, "the Device is Ready");
        await env.StopAsync();

        // A new controller (an operator restart) lists everything and reconciles the Device once more: no request but list and watch.
        env.Cluster.RequestLog.Clear();
        var restarted = NewController(env.Client, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = restarted.RunAsync(stop.Token);
        await env.EventuallyAsync(() => Task.FromResult(restarted.Reconciles), n => n >= 1 && restarted.Queue.Length == 0, "the restarted controller reconciled the Device");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, restarted.Errors);
        Assert.All(env.Cluster.RequestLog.Requests, r => Assert.Contains(r.Verb, new[] { "list", "watch" }));
    }

    private static void AssertNoWritesTo(Env env, string secret) =>
        Assert.DoesNotContain(env.Cluster.RequestLog.Requests, r => r.Resource == "secrets" && r.Name == secret && r.Verb is "create" or "patch" or "update" or "delete");

    private static Device NewDevice(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new DeviceSpec { Type = "thermostat" },
    };

    private static Dictionary<string, string> Text(V1Secret secret) =>
        (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value), StringComparer.Ordinal);

    private static Controller<Device> NewController(IKubernetes client, TimeProvider time) =>
        DeviceController.Create(client, Options, time, new ControllerOptions { Name = "device", Informer = new ReflectorOptions { Namespace = Namespace } });

    private sealed class Env : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private Task? run;

        private Env(LocalCluster.LocalCluster cluster, IKubernetes client, TimeProvider time)
        {
            Cluster = cluster;
            Client = client;
            Devices = new ResourceClient<Device>(client, DeviceController.Devices);
            Secrets = new ResourceClient<V1Secret>(client, DeviceController.Secrets);
            Controller = NewController(client, time);
        }

        public LocalCluster.LocalCluster Cluster { get; }

        public IKubernetes Client { get; }

        public ResourceClient<Device> Devices { get; }

        public ResourceClient<V1Secret> Secrets { get; }

        public Controller<Device> Controller { get; }

        public static async Task<Env> StartAsync(TimeProvider? time = null)
        {
            var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
            var client = cluster.CreateClient();
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
            var env = new Env(cluster, client, time ?? TimeProvider.System);
            env.run = env.Controller.RunAsync(env.stop.Token);
            return env;
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            if (run is not null)
            {
                await run.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        public async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string because)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                var value = await read();
                if (condition(value))
                {
                    return value;
                }

                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"Timed out waiting until {because} (controller errors: {Controller.Errors})");
                }

                await Task.Delay(20);
            }
        }

        public async Task<Device> WaitForDeviceAsync(string name, Func<Device, bool> condition, string because) =>
            (await EventuallyAsync(() => Devices.GetAsync(name, Namespace), d => d is not null && condition(d), because))!;

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Assert.Equal(0, Controller.Errors);
            stop.Dispose();
            Client.Dispose();
            await Cluster.DisposeAsync();
        }
    }
}
