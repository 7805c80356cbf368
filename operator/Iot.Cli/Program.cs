using Iot.Cli;

return await IotCtl.RunAsync(args, Console.Out, Console.Error);
