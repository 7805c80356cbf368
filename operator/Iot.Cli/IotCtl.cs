using System.CommandLine;

using Iot.Cli.Commands;

namespace Iot.Cli;

/// <summary>The <c>iotctl</c> command tree; tests run it in-process with their own writers.</summary>
public static class IotCtl
{
    public static RootCommand CreateRootCommand() => new("iotctl: the IoTOperator command line")
    {
        ValidateCommand.Create(),
        CrdsCommand.Create(),
        LocalClusterCommand.Create(),
        RoutesCommand.Create(),
        SimulateCommand.Create(),
        DevCommand.Create(),
    };

    /// <summary>Runs <c>iotctl</c> with <paramref name="args"/>; returns its exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CreateRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
}
