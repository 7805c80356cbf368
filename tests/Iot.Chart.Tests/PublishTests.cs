using System.Reflection;

using Iot.Chart.Tests.Support;

namespace Iot.Chart.Tests;

/// <summary>No Docker engine runs here: each image's build step (dotnet publish) and entry point (--version) are run instead.</summary>
public sealed class PublishTests
{
    [Theory]
    [InlineData("operator/Iot.Operator/Iot.Operator.csproj", "Iot.Operator.dll", "iot-operator")]
    [InlineData("workloads/Iot.Workloads/Iot.Workloads.csproj", "iot-workloads.dll", "iot-workloads")]
    public async Task The_published_executable_starts_and_prints_its_version(string project, string entryPoint, string name)
    {
        // Publish the configuration this test run was built in, without building again.
        var configuration = typeof(PublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        using var output = new TempDirectory();

        await Tool.Dotnet.RunAsync(["publish", RepositoryRoot.Combine(project.Split('/')), "-c", configuration, "--no-build", "-p:UseAppHost=false", "-o", output.Path, "-v:q", "-nologo"]);
        var run = await Tool.Dotnet.RunAsync([Path.Combine(output.Path, entryPoint), "--version"]);

        Assert.Equal($"{name} 0.1.0", run.Output.Trim().Split('+')[0]);
    }
}
