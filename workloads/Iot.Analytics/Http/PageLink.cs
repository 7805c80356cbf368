using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Iot.Analytics.Http;

/// <summary>The link to a response's next page: the same request with some parameters replaced, also sent as a <c>Link: &lt;…&gt;; rel="next"</c> header.</summary>
internal static class PageLink
{
    public static string Next(HttpContext context, params (string Name, string Value)[] replaced)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var query = request.Query.Where(q => !replaced.Any(r => r.Name == q.Key))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Concat(replaced.Select(r => new KeyValuePair<string, string?>(r.Name, r.Value)));
        var link = QueryHelpers.AddQueryString((request.PathBase + request.Path).ToString(), query);
        context.Response.Headers.Append("Link", $"<{link}>; rel=\"next\"");
        return link;
    }
}
