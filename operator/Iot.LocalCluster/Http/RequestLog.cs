using System.Collections.Concurrent;

namespace Iot.LocalCluster.Http;

/// <summary>Every resource request the server has answered, in arrival order, for tests that count API calls or check RBAC.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<ApiRequest> requests = new();

    /// <summary>A snapshot of the requests so far.</summary>
    public IReadOnlyList<ApiRequest> Requests => [.. requests];

    /// <summary>Forgets the requests so far.</summary>
    public void Clear() => requests.Clear();

    internal void Add(ApiRequest request) => requests.Enqueue(request);
}
