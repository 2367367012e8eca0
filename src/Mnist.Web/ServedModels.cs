using System.Collections.Concurrent;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Web;

/// <summary>A model the server can use: a run folder's model file, or the one given with --model.</summary>
/// <param name="Id">What requests name it by: the run folder's name, or the --model file's name.</param>
/// <param name="RunFolder">The run it came from, where its caches go; null for a bare --model file.</param>
public sealed record ModelEntry(string Id, string File, string? RunFolder);

/// <summary>What the model picker shows of a model.</summary>
public sealed record ModelInfo(string Id, string Name, string DataSet, double? TestAccuracy, bool Default);

/// <summary>
/// The models under --runs (rescanned on each listing, so a run that finishes appears) and the --model file.
/// Each model file is loaded once, on first use, into one <see cref="ModelSession"/> that every request shares;
/// <see cref="Lazy{T}"/> makes two first requests at once load it only once.
/// </summary>
public sealed class ServedModels(string? runsFolder, string? modelFile) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ModelSession>> _sessions = new(StringComparer.Ordinal);

    public IReadOnlyList<ModelEntry> Entries()
    {
        var entries = new List<ModelEntry>();
        if (modelFile is not null)
            entries.Add(new ModelEntry(Path.GetFileNameWithoutExtension(modelFile), Path.GetFullPath(modelFile), null));
        if (runsFolder is not null && Directory.Exists(runsFolder))
        {
            // Newest run first: the one a person most likely wants.
            foreach (var folder in Directory.EnumerateDirectories(runsFolder).OrderByDescending(Directory.GetLastWriteTimeUtc))
            {
                string file = Path.Combine(folder, RunArtifacts.ModelFileName);
                if (File.Exists(file)) entries.Add(new ModelEntry(Path.GetFileName(folder), Path.GetFullPath(file), Path.GetFullPath(folder)));
            }
        }
        return entries;
    }

    /// <summary>The entry named <paramref name="id"/>, or the default (first) one when it is null.</summary>
    /// <exception cref="BadRequestException">No model has that name, or there is no model at all.</exception>
    public ModelEntry Find(string? id)
    {
        var entries = Entries();
        if (entries.Count == 0) throw new BadRequestException(404, "no model to serve: give --model FILE or a --runs folder holding trained runs");
        if (string.IsNullOrEmpty(id)) return entries[0];
        return entries.FirstOrDefault(e => e.Id == id)
            ?? throw new BadRequestException(404, $"unknown model \"{id}\"; known models: {string.Join(", ", entries.Select(e => e.Id))}");
    }

    public ModelSession Session(ModelEntry entry) =>
        _sessions.GetOrAdd(entry.File, file => new Lazy<ModelSession>(() => new ModelSession(TrainedModel.Load(file)))).Value;

    public ModelInfo Describe(ModelEntry entry, bool isDefault)
    {
        if (entry.RunFolder is not null && RunSummary.TryRead(entry.RunFolder) is { } run)
            return new ModelInfo(entry.Id, run.Model, DataSetOf(run.Settings), run.TestAccuracy, isDefault);
        // A bare model file says nothing of its accuracy; its name and data set come from the loaded (cached) session.
        var trained = Session(entry).Trained;
        return new ModelInfo(entry.Id, trained.Model.Name, trained.Settings.DataSet, null, isDefault);
    }

    public string DataSetOf(ModelEntry entry) => Describe(entry, isDefault: false).DataSet;

    // Runs from before data sets had names were all trained on MNIST (as TrainingSettings reads them).
    private static string DataSetOf(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue("dataset", out var name) ? name : Data.KnownDataSets.Mnist.Name;

    public void Dispose()
    {
        foreach (var lazy in _sessions.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}
