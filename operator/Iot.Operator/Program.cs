using System.Reflection;

// The controllers arrive with the operator issue; until then the executable only identifies itself.
var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
if (args is ["--version"] or [])
{
    Console.WriteLine($"iot-operator {version}");
    return 0;
}

Console.Error.WriteLine($"iot-operator {version}: unknown arguments '{string.Join(' ', args)}'; only --version is supported yet.");
return 2;
