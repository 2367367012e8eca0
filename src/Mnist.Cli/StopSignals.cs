using System.Runtime.InteropServices;

namespace Mnist.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a stop request: the first one cancels <see cref="Token"/> so training
/// ends after its step with a checkpoint; a second one is left to the default handler and ends the process.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt, _terminate;

    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Request(c, 130));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Request(c, 143));
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a shell reports a process killed by it.</summary>
    public int ExitCode { get; private set; }

    private void Request(PosixSignalContext context, int exitCode)
    {
        if (_stop.IsCancellationRequested) return;
        context.Cancel = true;
        ExitCode = exitCode;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
