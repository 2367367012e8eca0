using System.CommandLine;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>`mnist train`'s --checkpoint-every, --keep-checkpoints and --resume, and the check that a resumed run gets no recipe options.</summary>
internal sealed class CheckpointOptions
{
    private readonly Option<int?> _every = NumberOptions.Integer("--checkpoint-every",
        "Write a checkpoint into the run folder every N steps and at the end (0: none; default 1000)", min: 0);
    private readonly Option<int?> _keep = CommonOptions.Positive("--keep-checkpoints", "How many of the newest checkpoints to keep (default 3)");
    private readonly Option<string?> _resume = new("--resume")
    {
        Description = "Go on with the run in this folder from its newest readable checkpoint, with the run's own settings",
    };

    public void AddTo(Command command)
    {
        command.Add(_every);
        command.Add(_keep);
        command.Add(_resume);
    }

    public string? ResumeFolder(ParseResult p) => p.GetValue(_resume);

    /// <summary>--resume itself, for the rules that do not hold beside it.</summary>
    public Option ResumeOption => _resume;

    public TrainingRun.Options Apply(ParseResult p, TrainingRun.Options options) =>
        options with { CheckpointEvery = p.GetValue(_every) ?? 1000, KeepCheckpoints = p.GetValue(_keep) ?? 3 };

    /// <summary>
    /// The run in <paramref name="folder"/>: its model, its settings and the checkpoint to go on from.
    /// A recipe option given beside --resume, or a --model other than the run's, is an error.
    /// </summary>
    public (MnistModel Model, TrainingSettings Settings, (Checkpoint, string) From) Resume(
        ParseResult p, string folder, Option<string> model, IEnumerable<Option> recipe, Action<string> warn)
    {
        foreach (var option in recipe)
            if (p.GetResult(option) is { Implicit: false })
                throw new ArgumentException($"--resume {folder} continues with the run's own settings; {option.Name} cannot be changed");
        var from = RunResume.Open(folder, warn);
        var run = ModelCatalog.All.FirstOrDefault(m => m.Name == from.Checkpoint.Model)
            ?? throw new ArgumentException($"--resume {folder}: unknown model \"{from.Checkpoint.Model}\" in {from.Path}");
        if (p.GetResult(model) is { Implicit: false } && !string.Equals(p.GetValue(model), run.Name, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--resume {folder} is a {run.Name} run, not --model {p.GetValue(model)}");
        TrainingSettings settings;
        try
        {
            settings = from.Checkpoint.ReadSettings(run.DefaultSettings);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--resume {folder}: {from.Path}: {e.Message}");
        }
        return (run, settings, from);
    }
}
