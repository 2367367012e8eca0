namespace Mnist.Data;

/// <summary>Where the application's commands get their data from, as the CLI's data options say.</summary>
/// <param name="Directory">Data folder (default: the data set's folder in the user cache; for MNIST $MNIST_DATA_DIR first).</param>
/// <param name="Offline">Use only files already there: never fetch.</param>
/// <param name="NoVerify">Skip the checksums and read whatever MNIST-format files are there; implies offline.</param>
/// <param name="DataSet">A known data set's name (<see cref="KnownDataSets"/>); null: the model's, else MNIST.</param>
public sealed record DataOptions(string? Directory = null, bool Offline = false, bool NoVerify = false, string? DataSet = null)
{
    /// <summary>These options, with <paramref name="dataSet"/> when no data set was asked for (a model's own).</summary>
    public DataOptions OrDataSet(string dataSet) => DataSet is null ? this with { DataSet = dataSet } : this;

    public KnownDataSet Known => KnownDataSets.Get(DataSet ?? KnownDataSets.Mnist.Name);

    public DataSets Load(PixelScaling scaling, ulong seed, Action<string>? progress = null) => NoVerify
        ? InputData.LoadDataSets(MnistDataDirectory.Resolve(Directory, Known), scaling: scaling, seed: seed, dataSet: Known)
        : InputData.ReadDataSets(Directory, scaling: scaling, seed: seed, progress: progress, fetcher: Fetcher(), dataSet: Known);

    /// <summary>The data set's sources, or none when offline.</summary>
    public MnistFetcher Fetcher() => new(Known, Offline ? [] : null);
}
