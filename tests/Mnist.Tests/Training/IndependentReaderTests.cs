using System.Diagnostics;
using Flow.Summary;
using Mnist.Tests.Cli;
using Mnist.Tests.Data;

namespace Mnist.Tests.Training;

/// <summary>
/// A real run's event file read by code that is not ours: tools/tensorboard/check_events.py, Python's protobuf
/// over classes protoc generates from the vendored TensorFlow .proto files, with its own TFRecord and CRC-32C.
/// </summary>
public class IndependentReaderTests
{
    [PythonProtobufFact]
    public void PythonReadsEveryRecordAndFindsTheScalarsOfMetricsJsonl()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        var r = CliRunner.Run("train", "--steps", "120", "--out", run);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string events = Assert.Single(Directory.GetFiles(run, EventFileWriter.Prefix + "*"));
        string metrics = Path.Combine(run, "metrics.jsonl");

        var (code, stdout, stderr) = Check(events, metrics);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"^ok: \d+ records, \d+ graph nodes, \d+ scalar steps, 2 images", stdout);
        Assert.Contains($"{File.ReadAllLines(metrics).Length} scalar steps", stdout);

        // The reader is no rubber stamp: one flipped bit in a record's data is a CRC mismatch.
        var bytes = File.ReadAllBytes(events);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(events, bytes);
        (code, _, stderr) = Check(events, metrics);
        Assert.Equal(1, code);
        Assert.Contains("CRC mismatch", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Check(string events, string metrics)
    {
        string repo = RepositoryPaths.Root();
        var start = new ProcessStartInfo(PythonProtobufFactAttribute.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(repo, "tools", "tensorboard", "check_events.py"), Path.Combine(repo, "src", "Flow", "Protos"), events, metrics })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
