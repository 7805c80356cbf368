using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;
using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

/// <summary>A fresh store (with namespace "lab") and a manual clock for each test, and shorthands for common writes.</summary>
public abstract class StoreTestBase
{
    internal static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private protected StoreTestBase(int historySize = 10_000)
    {
        Store = new ObjectStore(Clock, historySize);
        Store.Create(TestTypes.Namespace, null, Json.Namespace("lab"));
    }

    internal ManualTimeProvider Clock { get; } = new(Start);

    internal ObjectStore Store { get; }

    internal JsonObject Create(ResourceType type, JsonObject obj) =>
        Store.Create(type, type.Namespaced ? (string?)obj.Meta()["namespace"] ?? "lab" : null, obj);

    internal JsonObject CreateNamespace(string name) => Store.Create(TestTypes.Namespace, null, Json.Namespace(name));

    /// <summary>Reads the object, applies <paramref name="change"/> to it, and writes it back.</summary>
    internal JsonObject Change(ResourceType type, string? ns, string name, Action<JsonObject> change, string subresource = "")
    {
        var obj = Store.Get(type, ns, name) ?? throw new InvalidOperationException($"{name} does not exist");
        change(obj);
        return Store.Update(type, ns, name, obj, new UpdateOptions(subresource));
    }

    internal JsonObject Delete(ResourceType type, string? ns, string name, PropagationPolicy propagation = PropagationPolicy.Background) =>
        Store.Delete(type, ns, name, new DeleteOptions(propagation));

    internal static ApiException Fails(Action write) => Assert.Throws<ApiException>(write);

    internal static ApiException Fails(Func<object?> write) => Assert.Throws<ApiException>(write);
}
