namespace Mnist.Training;

/// <summary>`mnist train --resume RUN_DIR`: finds the checkpoint a run goes on from, or says in one line why there is none.</summary>
public static class RunResume
{
    /// <param name="warn">Told about each newer checkpoint passed over because it does not read back.</param>
    /// <exception cref="ArgumentException">The folder does not exist, holds no checkpoint, or none that reads.</exception>
    public static (Checkpoint Checkpoint, string Path) Open(string folder, Action<string> warn)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--resume {folder}: no such folder");
        var files = CheckpointFolder.List(folder);
        if (files.Count == 0)
            throw new ArgumentException($"--resume {folder}: not a run folder with checkpoints (no checkpoint-*.safetensors in it)");
        return CheckpointFolder.LoadNewest(folder, warn)
            ?? throw new ArgumentException($"--resume {folder}: none of its {files.Count} checkpoint(s) reads back");
    }
}
