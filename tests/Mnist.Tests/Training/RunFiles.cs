using System.Security.Cryptography;
using System.Text.Json;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>What the resume and stop tests compare between run folders.</summary>
internal static class RunFiles
{
    public static string ModelPath(string folder) => Path.Combine(folder, RunArtifacts.ModelFileName);

    public static string ModelSha256(string folder) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(ModelPath(folder))));

    /// <summary>metrics.jsonl without the elapsed times (the only field that differs between equal runs).</summary>
    public static string[] MetricsWithoutTime(string folder) => File.ReadAllLines(Path.Combine(folder, MetricsLog.FileName))
        .Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return string.Join(",", doc.RootElement.EnumerateObject().Where(p => p.Name != "elapsed").Select(p => $"{p.Name}={p.Value.GetRawText()}"));
        })
        .ToArray();
}
