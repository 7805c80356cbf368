using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Iot.Testing;

/// <summary>A real HTTP listener on a free loopback port that answers 200 and keeps every request body (a webhook target).</summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    /// <summary>Starts listening on <see cref="Url"/>.</summary>
    public WebhookListener()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/hook/";
        listener.Prefixes.Add(Url);
        listener.Start();
        serving = ServeAsync();
    }

    /// <summary>The receiver's URL.</summary>
    public string Url { get; }

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }

        listener.Close();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                Bodies.Enqueue(await reader.ReadToEndAsync());
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
