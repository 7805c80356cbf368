using System.Globalization;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Iot.Analytics.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public async Task Analytics_refuses_to_start_without_a_namespace_and_a_real_token_and_says_which_settings()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AnalyticsHost.StartAsync(TimeProvider.System, new Dictionary<string, string?>
        {
            ["Analytics:Namespace"] = "",
            ["Analytics:ApiToken"] = "short",
            ["Analytics:MaxPoints"] = "0",
        }));

        Assert.Contains("Analytics:Namespace is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Analytics:ApiToken must be set to the API bearer token, at least 16 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("Analytics:MaxPoints must be between 10 and 100000, not 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analytics_is_not_ready_while_the_broker_cannot_be_reached_and_says_where_it_tried()
    {
        var port = FreePort.Next();
        await using var host = await AnalyticsHost.StartAsync(new ManualTimeProvider(), new Dictionary<string, string?>
        {
            ["Analytics:Mqtt:Enabled"] = "true",
            ["Analytics:Mqtt:Host"] = "127.0.0.1",
            ["Analytics:Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
        });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal($"not connected to the broker at 127.0.0.1:{port}", report.Entries[AnalyticsServiceCollectionExtensions.ReadinessCheck].Description);
    }
}
