using System.CommandLine;
using Iot.Cli.Commands;

var root = new RootCommand("iotctl: the IoTOperator command line")
{
    CrdsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
