using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Iot.Storage.Influx;

/// <summary>
/// The project's one InfluxDB client, over the 1.x HTTP API: line-protocol writes (<c>POST /write</c>, gzip), InfluxQL
/// queries (<c>GET /query</c>) and statements that change things (<c>POST /query</c>), and the administration the
/// operator's Room retention needs (see the other half of this class). Thread-safe; share one per process.
/// </summary>
/// <remarks>
/// Failures are exceptions: <see cref="InfluxException"/> when InfluxDB answered with an error (an HTTP error status,
/// or an <c>error</c> inside a 200), <see cref="TimeoutException"/> when it did not answer within
/// <see cref="InfluxOptions.Timeout"/>, <see cref="HttpRequestException"/> when it could not be reached.
/// </remarks>
public sealed partial class InfluxClient : IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly InfluxOptions options;

    /// <summary>A client with its own connection pool.</summary>
    public InfluxClient(InfluxOptions options)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), options, ownsHttp: true)
    {
    }

    /// <summary>
    /// A client over <paramref name="http"/> (e.g. from IHttpClientFactory); the address and the per-request timeout
    /// come from <paramref name="options"/>, so the HttpClient's own timeout should be at least as long.
    /// </summary>
    public InfluxClient(HttpClient http, InfluxOptions options)
        : this(http, options, ownsHttp: false)
    {
    }

    private InfluxClient(HttpClient http, InfluxOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
        this.ownsHttp = ownsHttp;
        if (ownsHttp)
        {
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        }
    }

    /// <summary>The settings this client was made with.</summary>
    public InfluxOptions Options => options;

    /// <summary>True when <c>/ping</c> answers 204 within the timeout.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Address("ping", [])), cancellationToken);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InfluxException)
        {
            return false;
        }
    }

    /// <summary>Writes points (encoded with <see cref="LineProtocol"/>) in one request.</summary>
    /// <param name="database">The database (for telemetry: the namespace).</param>
    /// <param name="retentionPolicy">The retention policy; null for the database's default.</param>
    /// <param name="points">The points; those without a timestamp get InfluxDB's receive time.</param>
    /// <param name="precision">The unit timestamps are written in.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task WriteAsync(string database, string? retentionPolicy, IEnumerable<InfluxPoint> points, InfluxPrecision precision = InfluxPrecision.Nanoseconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var builder = new StringBuilder();
        foreach (var point in points)
        {
            LineProtocol.Append(builder, point, precision);
            builder.Append('\n');
        }

        return WriteAsync(database, retentionPolicy, Encoding.UTF8.GetBytes(builder.ToString()), precision, cancellationToken);
    }

    /// <summary>Writes line protocol (one point per line, UTF-8) in one request.</summary>
    /// <param name="database">The database (for telemetry: the namespace).</param>
    /// <param name="retentionPolicy">The retention policy; null for the database's default.</param>
    /// <param name="lines">The line-protocol body.</param>
    /// <param name="precision">The unit of its timestamps.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task WriteAsync(string database, string? retentionPolicy, ReadOnlyMemory<byte> lines, InfluxPrecision precision = InfluxPrecision.Nanoseconds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var parameters = new List<(string, string)> { ("db", database), ("precision", LineProtocol.ToParameter(precision)) };
        if (!string.IsNullOrEmpty(retentionPolicy))
        {
            parameters.Add(("rp", retentionPolicy));
        }

        var body = options.Gzip ? Compress(lines.Span) : lines.ToArray();
        using var response = await SendAsync(
            () =>
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
                if (options.Gzip)
                {
                    content.Headers.ContentEncoding.Add("gzip");
                }

                return new HttpRequestMessage(HttpMethod.Post, Address("write", parameters)) { Content = content };
            },
            cancellationToken);
        await ThrowIfErrorAsync(response, cancellationToken);
    }

    /// <summary>
    /// Runs read-only InfluxQL (SELECT, SHOW) with <c>GET /query</c> and returns the series of every statement, in
    /// order. Times come back as nanoseconds since the epoch (<c>epoch=ns</c>).
    /// </summary>
    /// <param name="database">The database unqualified names refer to; null for none.</param>
    /// <param name="query">One or more statements separated by semicolons.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="InfluxException">A statement failed; the message is InfluxDB's.</exception>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string? database, string query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Address("query", QueryParameters(database, query))), cancellationToken);
        return await ReadResultsAsync(response, cancellationToken);
    }

    /// <summary>
    /// Runs InfluxQL that changes something (CREATE, ALTER, DROP, DELETE, SELECT … INTO) with <c>POST /query</c> and
    /// returns the series of every statement, in order.
    /// </summary>
    /// <inheritdoc cref="QueryAsync"/>
    public async Task<IReadOnlyList<InfluxSeries>> ExecuteAsync(string? database, string statement, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(statement);
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, Address("query", [])) { Content = new FormUrlEncodedContent(QueryParameters(database, statement).Select(p => KeyValuePair.Create(p.Name, p.Value))) },
            cancellationToken);
        return await ReadResultsAsync(response, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private static List<(string Name, string Value)> QueryParameters(string? database, string query)
    {
        var parameters = new List<(string, string)> { ("q", query), ("epoch", "ns") };
        if (!string.IsNullOrEmpty(database))
        {
            parameters.Add(("db", database));
        }

        return parameters;
    }

    private static byte[] Compress(ReadOnlySpan<byte> lines)
    {
        using var buffer = new MemoryStream((lines.Length / 4) + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(lines);
        }

        return buffer.ToArray();
    }

    private Uri Address(string path, IEnumerable<(string Name, string Value)> parameters)
    {
        var builder = new StringBuilder(options.Url.AbsoluteUri.TrimEnd('/')).Append('/').Append(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    // The timeout is ours rather than HttpClient's so that it reads as a TimeoutException, distinct from the caller's cancellation.
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var message = request();
        if (options.Username is { } username)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{options.Password}")));
        }

        try
        {
            var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return response;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"InfluxDB at {options.Url} did not answer within {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", e);
        }
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InfluxException(ErrorMessage(body, response.StatusCode), response.StatusCode);
    }

    private static string ErrorMessage(string body, HttpStatusCode status)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
        }

        return $"InfluxDB answered {(int)status} {status}: {body.Trim()}";
    }

    private static async Task<IReadOnlyList<InfluxSeries>> ReadResultsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfErrorAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = json.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxException(topError.GetString() ?? "InfluxDB reported an error without a message.");
        }

        var series = new List<InfluxSeries>();
        if (!root.TryGetProperty("results", out var results))
        {
            return series;
        }

        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException(error.GetString() ?? "InfluxDB reported an error without a message.");
            }

            if (result.TryGetProperty("series", out var items))
            {
                series.AddRange(items.EnumerateArray().Select(ReadSeries));
            }
        }

        return series;
    }

    private static InfluxSeries ReadSeries(JsonElement item)
    {
        var name = item.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("tags", out var t))
        {
            foreach (var tag in t.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? "";
            }
        }

        var columns = item.TryGetProperty("columns", out var c) ? c.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [];
        var values = new List<IReadOnlyList<object?>>();
        if (item.TryGetProperty("values", out var v))
        {
            foreach (var row in v.EnumerateArray())
            {
                values.Add(row.EnumerateArray().Select(ReadValue).ToArray());
            }
        }

        return new InfluxSeries(name, tags, columns, values);
    }

    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
