using System.Globalization;
using System.Net;

using Iot.Api.EdgeRules;
using Iot.Kube;
using Iot.Rules;

using k8s;
using k8s.Autorest;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Status;

/// <summary>
/// Writes <c>EdgeRule.status.lastFired</c> (DESIGN.md §1: the one status field ingest owns) from the engine's
/// statistics: every <see cref="IngestOptions.StatusInterval"/>, one JSON merge patch of the status subresource for
/// each rule that fired since it was last written, so at most one write per rule per interval however often it fires.
/// </summary>
internal sealed partial class RuleStatusReporter(RuleEngine engine, IKubernetes client, IOptions<IngestOptions> options, TimeProvider time, ILogger<RuleStatusReporter> logger)
{
    private readonly ResourceClient<EdgeRule> rules = new(client, KubeResource.For<EdgeRule>());
    private readonly Dictionary<string, DateTimeOffset> written = new(StringComparer.Ordinal);
    private readonly string ns = options.Value.Namespace;
    private readonly TimeSpan interval = options.Value.StatusInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken);
            await WriteChangedAsync(cancellationToken);
        }
    }

    private async Task WriteChangedAsync(CancellationToken cancellationToken)
    {
        foreach (var statistics in engine.Statistics())
        {
            if (statistics.LastFired is not { } fired || (written.TryGetValue(statistics.Rule, out var last) && last >= fired))
            {
                continue;
            }

            var lastFired = fired.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            try
            {
                await rules.MergePatchStatusAsync(statistics.Rule, ns, $$$"""{"status":{"lastFired":"{{{lastFired}}}"}}""", cancellationToken);
                written[statistics.Rule] = fired;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                written[statistics.Rule] = fired; // the rule is gone
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                LogWriteFailed(statistics.Rule, ns, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing status.lastFired of EdgeRule {Rule} in {Namespace} failed ({Error}); retrying at the next interval")]
    private partial void LogWriteFailed(string rule, string @namespace, string error);
}
