using System.Diagnostics;

namespace Mnist.Tests.Cli;

/// <summary>Runs the real `mnist` command (the built Mnist.Cli.dll beside the tests) in its own process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWith(new Dictionary<string, string?>(), args);

    /// <summary>Runs with these environment variables set (a null value removes the variable).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"mnist {string.Join(' ', args)} ran over 5 minutes"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>How to start the real `mnist` with <paramref name="args"/> and <paramref name="environment"/>, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mnist.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
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
}
