using System.ComponentModel;
using System.Diagnostics;

namespace Mnist.Tests.Data;

/// <summary>A fact that is skipped (not failed) on machines without npm on PATH.</summary>
public sealed class NpmFactAttribute : FactAttribute
{
    public NpmFactAttribute()
    {
        if (!NpmAvailable()) Skip = "npm is not on PATH";
    }

    private static bool NpmAvailable()
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", "--version")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
