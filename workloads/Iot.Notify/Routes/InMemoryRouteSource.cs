using Iot.Api.AlertRoutes;

namespace Iot.Notify.Routes;

/// <summary>Routes and Secrets set in code: for tests, and for running notify without a Kubernetes API.</summary>
public sealed class InMemoryRouteSource : IRouteSource
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string, string), string> secrets = [];
    private IReadOnlyList<AlertRoute> routes = [];

    public InMemoryRouteSource(params AlertRoute[] routes) => this.routes = routes;

    /// <inheritdoc />
    public event Action? Changed;

    /// <inheritdoc />
    public bool HasSynced => true;

    /// <inheritdoc />
    public IReadOnlyList<AlertRoute> Routes
    {
        get
        {
            lock (gate)
            {
                return routes;
            }
        }
    }

    /// <summary>Replaces the routes and raises <see cref="Changed"/>.</summary>
    public void Set(params AlertRoute[] replacement)
    {
        lock (gate)
        {
            routes = replacement;
        }

        Changed?.Invoke();
    }

    /// <summary>Sets one key of one Secret.</summary>
    public void SetSecret(string name, string key, string value)
    {
        lock (gate)
        {
            secrets[(name, key)] = value;
        }
    }

    /// <inheritdoc />
    public ValueTask<string?> GetSecretAsync(string name, string key, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return ValueTask.FromResult(secrets.GetValueOrDefault((name, key)));
        }
    }

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
