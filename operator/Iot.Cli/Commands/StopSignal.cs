using System.Runtime.InteropServices;

namespace Iot.Cli.Commands;

/// <summary>Waits for Ctrl+C (SIGINT), SIGTERM (how process managers stop a service) or cancellation, whichever comes first.</summary>
internal static class StopSignal
{
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop cleanly rather than let the runtime terminate the process
            stopped.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var cancel = cancellationToken.Register(() => stopped.TrySetResult());
        await stopped.Task;
    }
}
