namespace Mnist.Data;

/// <summary>Where the application's commands get MNIST from, as the CLI's data options say.</summary>
/// <param name="Directory">Data folder (default: $MNIST_DATA_DIR or the user cache).</param>
/// <param name="Offline">Use only files already there: never fetch.</param>
/// <param name="NoVerify">Skip the checksums and read whatever MNIST-format files are there (Fashion-MNIST, say); implies offline.</param>
public sealed record DataOptions(string? Directory = null, bool Offline = false, bool NoVerify = false)
{
    public DataSets Load(PixelScaling scaling, ulong seed, Action<string>? progress = null) => NoVerify
        ? InputData.LoadDataSets(MnistDataDirectory.Resolve(Directory), scaling: scaling, seed: seed)
        : InputData.ReadDataSets(Directory, scaling: scaling, seed: seed, progress: progress,
            fetcher: Fetcher());

    /// <summary>The default sources, or none when offline.</summary>
    public MnistFetcher Fetcher() => Offline ? new MnistFetcher([]) : new MnistFetcher();
}
