using System.Diagnostics;

namespace Mnist.Tests.Cli;

/// <summary>Runs the real `mnist` command (the built Mnist.Cli.dll beside the tests) in its own process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunIn(null, args);

    /// <summary>Runs in <paramref name="workingDirectory"/> (null: the tests' own), where relative paths such as runs/ land.</summary>
    public static Result RunIn(string? workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mnist.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"mnist {string.Join(' ', args)} ran over 5 minutes"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
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
