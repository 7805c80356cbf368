using System.Reflection;

using Iot.Chart.Tests.Support;

namespace Iot.Chart.Tests;

/// <summary>No Docker engine runs here: the image's build step (dotnet publish) and entry point (--version) are run instead.</summary>
public sealed class OperatorPublishTests
{
    [Fact]
    public async Task The_published_operator_starts_and_prints_its_version()
    {
        // Publish the configuration this test run was built in, without building again.
        var configuration = typeof(OperatorPublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        using var output = new TempDirectory();

        await Tool.Dotnet.RunAsync(["publish", RepositoryRoot.Combine("operator", "Iot.Operator", "Iot.Operator.csproj"), "-c", configuration, "--no-build", "-p:UseAppHost=false", "-o", output.Path, "-v:q", "-nologo"]);
        var run = await Tool.Dotnet.RunAsync([Path.Combine(output.Path, "Iot.Operator.dll"), "--version"]);

        Assert.Equal("iot-operator 0.1.0", run.Output.Trim().Split('+')[0]);
    }
}
