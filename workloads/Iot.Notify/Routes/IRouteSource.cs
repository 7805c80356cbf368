using Iot.Api.AlertRoutes;

namespace Iot.Notify.Routes;

/// <summary>Where notify's AlertRoutes and the Secret values their receivers reference come from.</summary>
public interface IRouteSource
{
    /// <summary>True once the routes are known (the first LIST is in).</summary>
    bool HasSynced { get; }

    /// <summary>The namespace's AlertRoutes now.</summary>
    IReadOnlyList<AlertRoute> Routes { get; }

    /// <summary>Raised after the routes changed.</summary>
    event Action? Changed;

    /// <summary>The value of <paramref name="key"/> in Secret <paramref name="name"/>, or null if either is missing.</summary>
    ValueTask<string?> GetSecretAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>Keeps the routes current until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes once <see cref="HasSynced"/>.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
