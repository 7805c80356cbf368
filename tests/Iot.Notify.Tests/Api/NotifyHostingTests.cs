using Iot.Notify.Delivery;
using Iot.Notify.Routes;
using Iot.Notify.Tests.Support;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Iot.Notify.Tests.Api;

public sealed class NotifyHostingTests
{
    [Fact]
    public async Task Every_receiver_type_has_a_sender()
    {
        using var directory = new TempDirectory();
        await using var host = await NotifyHost.StartAsync(new InMemoryRouteSource(), TimeProvider.System, new Dictionary<string, string?> { ["Notify:Store:Path"] = Path.Combine(directory.Path, "notify.db") });

        Assert.Equal(["email", "mqtt", "slack", "webhook"], host.Services.GetServices<INotificationSender>().Select(s => s.ReceiverType).Order());
    }

    [Fact]
    public async Task Bad_settings_stop_the_start_and_name_each_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NotifyHost.StartAsync(new InMemoryRouteSource(), TimeProvider.System, new Dictionary<string, string?>
        {
            ["Notify:Namespace"] = "",
            ["Notify:Store:Provider"] = "postgres",
            ["Notify:Retry:MaxAttempts"] = "0",
            ["Notify:Mqtt:Port"] = "70000",
        }));

        Assert.Equal(4, error.Failures.Count());
        foreach (var setting in new[] { "Notify:Namespace:", "Notify:Mqtt:Port:", "Notify:Retry:MaxAttempts:", "Notify:Store:ConnectionString is required" })
        {
            Assert.Contains(error.Failures, f => f.StartsWith(setting, StringComparison.Ordinal));
        }
    }
}
