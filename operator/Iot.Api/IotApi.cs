using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;

namespace Iot.Api;

/// <summary>The API group every IoT kind belongs to.</summary>
public static class IotApi
{
    /// <summary>The API group.</summary>
    public const string Group = "iotoperator.io";

    /// <summary>The served and stored version.</summary>
    public const string Version = "v1alpha1";

    /// <summary>group/version, as objects carry it in apiVersion.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The category every kind is in: <c>kubectl get iot</c> lists them all.</summary>
    public const string Category = "iot";

    /// <summary>The four kinds, in the order they are documented.</summary>
    public static IReadOnlyList<Type> Kinds { get; } = [typeof(Device), typeof(Room), typeof(EdgeRule), typeof(AlertRoute)];
}
