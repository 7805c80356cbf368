using System.Net;

namespace Iot.Storage.Influx;

/// <summary>
/// InfluxDB refused or failed a request: an HTTP error status, or an <c>error</c> in a 200 response (a statement's or the
/// whole query's). <see cref="Exception.Message"/> is InfluxDB's own message.
/// </summary>
public sealed class InfluxException : Exception
{
    public InfluxException()
    {
    }

    public InfluxException(string message)
        : base(message)
    {
    }

    public InfluxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InfluxException(string message, HttpStatusCode statusCode)
        : base(message) => StatusCode = statusCode;

    /// <summary>The HTTP status; 200 when the error came inside a successful response.</summary>
    public HttpStatusCode StatusCode { get; } = HttpStatusCode.OK;

    /// <summary>A 4xx: the request itself is wrong (bad line protocol, field type conflict, unknown database); retrying will not help.</summary>
    public bool IsClientError => (int)StatusCode is >= 400 and < 500;
}
