using System.Diagnostics;

namespace Mnist.Tests.Cli;

/// <summary>Runs the real `mnist` command (the built Mnist.Cli.dll beside the tests) in its own process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWith(new Dictionary<string, string?>(), args);

    /// <summary>Runs with these environment variables set (a null value removes the variable).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Wait(StartInfo(environment, args), args);

    /// <summary>Runs in <paramref name="workingDirectory"/>, where relative paths such as runs/ land.</summary>
    public static Result RunIn(string workingDirectory, params string[] args)
    {
        var start = StartInfo(new Dictionary<string, string?>(), args);
        start.WorkingDirectory = workingDirectory;
        return Wait(start, args);
    }

    private static Result Wait(ProcessStartInfo start, string[] args)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"mnist {string.Join(' ', args)} ran over 5 minutes"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>How to start the real `mnist` with <paramref name="args"/> and <paramref name="environment"/>, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mnist.Cli.dll");
        // Through env(1) to give SIGINT its default action back: a test host started in the background of a
        // non-interactive shell inherits SIGINT ignored, its children too, and .NET then leaves it ignored.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>A failure must be one clear line on stderr, never a stack trace.</summary>
    public static void AssertCleanError(Result r, string expectedFragment)
    {
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expectedFragment, r.Stderr + r.Stdout);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
        Assert.DoesNotContain("Exception", r.Stderr + r.Stdout);
    }

    /// <summary>
    /// README's promise for every failure: exactly one <c>error:</c> line on stderr, first, naming what is wrong
    /// (only suggestions may follow), the documented exit code, and no exception text.
    /// </summary>
    public static void AssertOneErrorLine(Result r, int exitCode, string expectedFragment)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}, expected {exitCode}; stderr: {r.Stderr}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.True(lines.Count > 0 && lines[0].StartsWith("error: ", StringComparison.Ordinal), r.Stderr);
        Assert.Contains(expectedFragment, lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  did you mean ", l));
        foreach (var leak in new[] { "   at ", "Exception", "(Parameter", "Actual value was" })
            Assert.DoesNotContain(leak, r.Stderr + r.Stdout);
    }
}
