using System.Net;
using System.Text.Json.Nodes;

using Iot.Api.Manifests;
using Iot.LocalCluster.Http;
using Iot.LocalCluster.Operations;
using Iot.LocalCluster.Resources;
using Iot.LocalCluster.Storage;

using k8s;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.LocalCluster;

/// <summary>
/// A local Kubernetes-compatible API server, in process, on loopback: the test bed for controllers and the control plane
/// of dev mode. The real KubernetesClient and kubectl work against it unchanged. It is a development and test server,
/// not a production cluster: one process, in-memory state, no authentication or authorization, no kubelet, scheduler
/// or controller-manager (a Deployment's status changes only when someone writes it), no CEL validation rules.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ResourceOperations operations;
    private readonly ResourceRegistry registry;

    private LocalCluster(WebApplication app, ObjectStore store, ResourceRegistry registry, ResourceOperations operations, RequestLog log, Uri url, string? kubeconfigPath, string? caPem)
    {
        this.app = app;
        this.registry = registry;
        this.operations = operations;
        Store = store;
        RequestLog = log;
        Url = url;
        KubeconfigPath = kubeconfigPath;
        CaPem = caPem;
    }

    /// <summary>The server's base URL, e.g. http://127.0.0.1:40123.</summary>
    public Uri Url { get; }

    /// <summary>The kubeconfig written at start-up, if one was asked for.</summary>
    public string? KubeconfigPath { get; }

    /// <summary>The CA certificate (PEM) clients must trust when serving HTTPS.</summary>
    public string? CaPem { get; }

    /// <summary>Every resource request answered so far.</summary>
    public RequestLog RequestLog { get; }

    internal ObjectStore Store { get; }

    /// <summary>Starts a server; dispose it to stop it.</summary>
    public static async Task<LocalCluster> StartAsync(LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalClusterOptions();
        var store = new ObjectStore(options.Time, options.WatchHistorySize, options.NamespaceCleanupDelay);
        var registry = new ResourceRegistry();
        var operations = new ResourceOperations(store, registry, options.Time);
        var log = new RequestLog();
        var api = new ApiServer(store, registry, operations, log, options.Time, options.BookmarkInterval);

        var certificate = options.Https ? SelfSignedCertificates.Create(options.Time) : default;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate.Server is not null)
                {
                    listen.UseHttps(certificate.Server);
                }
            });
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        if (options.KubeconfigPath is { } kubeconfig)
        {
            Kubeconfig.Write(kubeconfig, url.ToString().TrimEnd('/'), certificate.CaPem);
        }

        var cluster = new LocalCluster(app, store, registry, operations, log, url, options.KubeconfigPath, certificate.CaPem);
        try
        {
            // Every cluster has these; kubeconfig contexts and leader-election Leases default to them.
            foreach (var name in new[] { "default", "kube-system" })
            {
                store.Create(BuiltinResources.Namespace, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
            }

            if (options.CrdDirectory is { } crds)
            {
                cluster.ApplyDirectory(crds);
            }

            if (options.ApplyDirectory is { } manifests)
            {
                cluster.ApplyDirectory(manifests);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>A KubernetesClient for this server.</summary>
    public Kubernetes CreateClient()
    {
        var config = new KubernetesClientConfiguration { Host = Url.ToString().TrimEnd('/'), AccessToken = "iot-local" };
        if (CaPem is not null)
        {
            config.SslCaCerts = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(CaPem)];
        }

        return new Kubernetes(config);
    }

    /// <summary>Creates or replaces every object in the YAML/JSON files of <paramref name="directory"/> (recursively, in name order), CRDs first.</summary>
    /// <exception cref="ApiException">An object is invalid or of a kind the server does not serve.</exception>
    public void ApplyDirectory(string directory)
    {
        var documents = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .SelectMany(ManifestReader.ReadFile)
            .OrderBy(d => d.Kind == "CustomResourceDefinition" ? 0 : d.Kind == "Namespace" ? 1 : 2)
            .ToList();
        foreach (var document in documents)
        {
            var resource = registry.FindByKind(document.ApiVersion, document.Kind)
                ?? throw new ApiException(404, "NotFound", $"{document.Source}:{document.Line}: no resource serves {document.ApiVersion}, Kind={document.Kind}");
            operations.CreateOrReplace(resource, (JsonObject)document.Content.DeepClone());
        }
    }

    /// <summary>Fault injection: ends every open watch connection, as an API server restart or a network cut would.</summary>
    public void DropWatches() => Store.DropAllWatches();

    /// <summary>How many watches are open: a watch request is logged before its watch is registered, so wait on this before <see cref="DropWatches"/>.</summary>
    public int OpenWatches => Store.OpenWatches;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Store.DropAllWatches();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
