using System.Collections.Concurrent;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Iot.Notify.Tests.Support;

/// <summary>
/// A real HTTP listener on loopback that records every request and answers with the scripted status codes in turn
/// (200 once the script is used up); <see cref="Hang"/> in the script holds the request open until the client gives up.
/// </summary>
public sealed class HttpTarget : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> script = new();

    private HttpTarget(WebApplication app, int port)
    {
        this.app = app;
        Url = $"http://127.0.0.1:{port}/hook";
    }

    /// <summary>A scripted "status" that never answers.</summary>
    public const int Hang = -1;

    public string Url { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The requests answered 2xx.</summary>
    public IEnumerable<RecordedRequest> Accepted => Requests.Where(r => r.Status is >= 200 and < 300);

    public static async Task<HttpTarget> StartAsync(params int[] statuses)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var target = new HttpTarget(app, port);
        foreach (var status in statuses)
        {
            target.script.Enqueue(status);
        }

        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = target.script.TryDequeue(out var scripted) ? scripted : 200;
            target.Requests.Enqueue(new RecordedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body, status));
            if (status == Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status >= 400 ? "target says no" : "ok");
        });
        await app.StartAsync();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed record RecordedRequest(PathString Path, string Authorization, string Body, int Status);
