using System.CommandLine;

namespace Mnist.Cli;

/// <summary>Options shared by several verbs, with their validation.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder holding (or receiving) the four MNIST IDX files; default $MNIST_DATA_DIR or the user cache",
    };

    public static Option<int?> Positive(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is int v && v <= 0) r.AddError($"{name} must be a positive integer, got {v}");
        });
        return option;
    }

    public static Option<string> Model(string defaultModel) => new("--model")
    {
        Description = $"Model to use: {string.Join(", ", Models.ModelCatalog.Names)}",
        DefaultValueFactory = _ => defaultModel,
    };

    public static Option<int?> Threads() => Positive("--threads", "Worker threads for the kernels (default: one per core)");
}
