using Microsoft.Extensions.Logging;

namespace Iot.Cli.Dev;

/// <summary>Sends an in-process host's logs to dev mode's logger factory instead of each host's own console.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
