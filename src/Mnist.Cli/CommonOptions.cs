using System.CommandLine;
using Mnist.Data;

namespace Mnist.Cli;

/// <summary>Options shared by several verbs, with their validation.</summary>
internal static class CommonOptions
{
    /// <summary>--dataset, --data-dir, --offline and --no-verify, read together into a <see cref="DataOptions"/>.</summary>
    public sealed class Data
    {
        private readonly Option<string?> _dataSet = DataSetOption();
        private readonly Option<string?> _dir = new("--data-dir")
        {
            Description = "Folder holding (or receiving) the data set's four IDX files, raw or .gz; default the user cache ($MNIST_DATA_DIR for mnist)",
        };
        private readonly Option<bool> _offline = new("--offline") { Description = "Never fetch: use only the files already in the data folder" };
        private readonly Option<bool> _noVerify = new("--no-verify") { Description = "Skip checksums and read any MNIST-format IDX files in the data folder" };

        public void AddTo(Command command)
        {
            command.Add(_dataSet);
            command.Add(_dir);
            command.Add(_offline);
            command.Add(_noVerify);
        }

        public DataOptions Read(ParseResult p) => new(p.GetValue(_dir), p.GetValue(_offline), p.GetValue(_noVerify), p.GetValue(_dataSet));
    }

    /// <summary>--dataset: no default value, so that a verb given a model file can fall back to the model's data set.</summary>
    private static Option<string?> DataSetOption()
    {
        var option = new Option<string?>("--dataset")
        {
            Description = $"Data set: {string.Join(", ", KnownDataSets.Names)} (default: a given model's, else mnist)",
        };
        option.AcceptOnlyFromAmong([.. KnownDataSets.Names]);
        return option;
    }

    public static Option<int?> Positive(string name, string description) => NumberOptions.Positive(name, description);

    public static Option<string> Model(string defaultModel)
    {
        var option = new Option<string>("--model")
        {
            Description = $"Model to use: {string.Join(", ", Models.ModelCatalog.Names)}",
            DefaultValueFactory = _ => defaultModel,
        };
        option.Validators.Add(CheckModelName);
        return option;
    }

    /// <summary>--model naming one model of the catalog, or none (all of them).</summary>
    public static Option<string?> OptionalModel(string description)
    {
        var option = new Option<string?>("--model") { Description = description };
        option.Validators.Add(CheckModelName);
        return option;
    }

    private static void CheckModelName(System.CommandLine.Parsing.OptionResult r)
    {
        if (r.GetValueOrDefault<string?>() is string name && !Models.ModelCatalog.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            r.AddError($"--model: unknown model '{name}'; known models: {string.Join(", ", Models.ModelCatalog.Names)}");
    }

    /// <summary>--device: the backend that runs the model, checked against the registered names.</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = $"Where to run the model: {string.Join(", ", Devices.Names)}",
            DefaultValueFactory = _ => Devices.Default,
        };
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (!Devices.Names.Contains(v, StringComparer.OrdinalIgnoreCase))
                r.AddError($"--device: must be one of {string.Join(", ", Devices.Names)}, got \"{v}\"");
        });
        return option;
    }

    public static Option<int?> Threads() => Positive("--threads", "Worker threads for the kernels (default: one per core)");
}
