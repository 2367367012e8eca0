using System.ComponentModel;
using System.Diagnostics;

namespace Mnist.Tests.Training;

/// <summary>
/// A fact that is skipped (not failed) where no Python with the protobuf module and no protoc are found
/// (Debian's python3-protobuf and protobuf-compiler; .ci/run installs them).
/// </summary>
public sealed class PythonProtobufFactAttribute : FactAttribute
{
    /// <summary>
    /// The first Python that imports google.protobuf, or null. Debian's own comes first: a python3 earlier on
    /// PATH (pyenv's, a virtual environment's) does not see Debian's python3-protobuf.
    /// </summary>
    public static readonly string? Python = new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(p => Runs(p, "-c", "import google.protobuf"));

    public PythonProtobufFactAttribute()
    {
        if (Python is null) Skip = "no python3 with the protobuf module (apt-get install python3-protobuf)";
        else if (!Runs("protoc", "--version")) Skip = "protoc is not on PATH (apt-get install protobuf-compiler)";
    }

    private static bool Runs(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
