using System.Globalization;

using Iot.Api.Devices;
using Iot.Broker.Registry;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using MQTTnet;

namespace Iot.Broker.Tests;

/// <summary>The hosting contract: AddIotBroker with configuration section Broker, a hosted service and readiness.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task AddIotBroker_binds_its_options_serves_and_reports_ready()
    {
        var port = FreePort.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Broker:BindAddress"] = "127.0.0.1",
            ["Broker:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Broker:Registry"] = "Memory",
            ["Broker:InternalPassword"] = "internal",
            ["Broker:MaxMessageSize"] = "1024",
        });
        builder.Services.AddIotBroker(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            Assert.Equal(1024, host.Services.GetRequiredService<IOptions<BrokerOptions>>().Value.MaxMessageSize);
            host.Services.GetRequiredService<InMemoryDeviceRegistry>().Set(new DeviceRecord("thermo-1", DeviceAuthMode.Password, DeviceCredentials.Hash("pw", 10), false));
            var health = host.Services.GetRequiredService<HealthCheckService>();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            HealthReport report;
            while ((report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"))).Status != HealthStatus.Healthy)
            {
                Assert.True(DateTime.UtcNow < deadline, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
                await Task.Delay(20);
            }

            using var client = new MqttClientFactory().CreateMqttClient();
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("thermo-1").WithCredentials("thermo-1", "pw").Build());
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Missing_internal_credentials_fail_validation_with_a_message_that_says_what_to_set()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Broker:Registry"] = "Memory" }).Build();
        services.AddIotBroker(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BrokerOptions>>().Value);

        Assert.Contains("Broker:InternalPassword", error.Message, StringComparison.Ordinal);
    }
}
