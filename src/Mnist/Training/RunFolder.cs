namespace Mnist.Training;

/// <summary>Where a training run keeps its model, metrics, pictures and report.</summary>
public static class RunFolder
{
    /// <summary>
    /// The folder asked for, or <c>&lt;parent&gt;/&lt;model&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> (parent: runs/
    /// under the current directory), with "-2", "-3"... added when two runs start in the same second.
    /// </summary>
    public static string Choose(string? requested, string model, DateTime now, string parent = "runs")
    {
        if (requested is not null) return requested;
        string stem = Path.Combine(parent, $"{model}-{now:yyyyMMdd-HHmmss}");
        string folder = stem;
        for (int n = 2; Directory.Exists(folder); n++) folder = $"{stem}-{n}";
        return folder;
    }
}
