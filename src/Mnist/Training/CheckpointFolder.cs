using System.Globalization;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// A run folder's checkpoints: <c>checkpoint-&lt;step, 8 digits&gt;.safetensors</c>, the newest few kept, the
/// newest readable one found again when the run resumes.
/// </summary>
public static class CheckpointFolder
{
    private const string Prefix = "checkpoint-";
    private const string Extension = ".safetensors";

    public static string PathFor(string folder, int step) =>
        Path.Combine(folder, $"{Prefix}{step.ToString("D8", CultureInfo.InvariantCulture)}{Extension}");

    /// <summary>Writes the checkpoint (temporary name, fsync, rename) and deletes all but the newest <paramref name="keep"/>.</summary>
    public static string Write(string folder, Checkpoint checkpoint, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        string path = PathFor(folder, checkpoint.Step);
        checkpoint.Save(path);
        foreach (var (_, old) in List(folder).Skip(keep)) File.Delete(old);
        return path;
    }

    /// <summary>The folder's checkpoint files, newest (highest step) first.</summary>
    public static IReadOnlyList<(int Step, string Path)> List(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var found = new List<(int, string)>();
        foreach (var path in Directory.EnumerateFiles(folder, $"{Prefix}*{Extension}"))
        {
            string digits = Path.GetFileName(path)[Prefix.Length..^Extension.Length];
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int step)) found.Add((step, path));
        }
        return found.OrderByDescending(f => f.Item1).ToArray();
    }

    /// <summary>
    /// The newest checkpoint that reads back whole; each newer one that does not (truncated by a kill,
    /// corrupt) is reported through <paramref name="warn"/> in one line and passed over. Null when none reads.
    /// </summary>
    public static (Checkpoint Checkpoint, string Path)? LoadNewest(string folder, Action<string> warn)
    {
        var all = List(folder);
        for (int i = 0; i < all.Count; i++)
        {
            var (_, path) = all[i];
            try
            {
                return (Checkpoint.Load(path), path);
            }
            catch (ModelFileException e)
            {
                string fallback = i + 1 < all.Count ? $"using {Path.GetFileName(all[i + 1].Path)}" : "no older checkpoint";
                warn($"warning: skipping unreadable {e.Message}; {fallback}");
            }
        }
        return null;
    }
}
