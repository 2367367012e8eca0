using System.Diagnostics;
using System.Runtime.InteropServices;
using Mnist.Tests.Cli;

namespace Mnist.Tests.Training;

/// <summary>The real `mnist` command started as a child process that a test can signal or kill while it runs.</summary>
internal sealed partial class ChildRun : IDisposable
{
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly Task<string> _stdout, _stderr;

    public ChildRun(params string[] args)
    {
        var start = CliRunner.StartInfo(new Dictionary<string, string?>(), args);
        _process = Process.Start(start)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits until <paramref name="ready"/> holds; fails if the process ends first or a minute passes.</summary>
    public void WaitUntil(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited) Assert.Fail($"the run ended (exit {_process.ExitCode}) before {what}: {_stderr.Result}");
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) Assert.Fail($"no {what} after three minutes");
            Thread.Sleep(10);
        }
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    public CliRunner.Result WaitForExit()
    {
        if (!_process.WaitForExit(TimeSpan.FromMinutes(5))) { _process.Kill(true); Assert.Fail("the run did not end within 5 minutes"); }
        return new CliRunner.Result(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(true);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
