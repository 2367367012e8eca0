namespace Mnist.Data;

/// <summary>
/// The counterpart of TensorFlow's <c>input_data</c> module: fetch, verify and load MNIST as
/// train / validation / test splits, or make fake data for self-tests.
/// </summary>
public static class InputData
{
    public const int DefaultValidationSize = 5000;

    /// <summary>
    /// Ensures the files are in the data folder (fetching them if needed), then loads them.
    /// Validation is the first <paramref name="validationSize"/> training examples, Train the rest.
    /// </summary>
    /// <param name="dataDirectory">Overrides MNIST_DATA_DIR and the default cache folder.</param>
    /// <param name="fetcher">Where to fetch missing files from; null means the default sources.</param>
    public static DataSets ReadDataSets(
        string? dataDirectory = null,
        int validationSize = DefaultValidationSize,
        PixelScaling scaling = PixelScaling.ZeroToOne,
        ulong seed = 0,
        Action<string>? progress = null,
        MnistFetcher? fetcher = null)
    {
        var directory = (fetcher ?? new MnistFetcher()).EnsureFiles(dataDirectory, progress);
        return LoadDataSets(directory, validationSize, scaling, seed);
    }

    /// <summary>
    /// Loads the four canonically named IDX files (raw or gzipped) from <paramref name="directory"/>
    /// without checksums, so any MNIST-format data (e.g. Fashion-MNIST) can be used.
    /// </summary>
    public static DataSets LoadDataSets(
        string directory,
        int validationSize = DefaultValidationSize,
        PixelScaling scaling = PixelScaling.ZeroToOne,
        ulong seed = 0)
    {
        var (trainImages, trainLabels) = ReadPair(directory, MnistFiles.TrainImages, MnistFiles.TrainLabels);
        var (testImages, testLabels) = ReadPair(directory, MnistFiles.TestImages, MnistFiles.TestLabels);
        if (validationSize < 0 || validationSize > trainLabels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize,
                $"validation size must be between 0 and the {trainLabels.Length} training examples");
        }
        int split = validationSize * MnistLayout.ImagePixels;
        var validation = new DataSet(trainImages[..split], trainLabels[..validationSize], scaling, seed);
        var train = new DataSet(trainImages[split..], trainLabels[validationSize..], scaling, seed);
        var test = new DataSet(testImages, testLabels, scaling, seed);
        return new DataSets(train, validation, test);
    }

    /// <summary>
    /// TensorFlow's fake_data: every image all ones (1.0) and every label 0, for self-tests that
    /// must not depend on the real files.
    /// </summary>
    public static DataSets FakeDataSets(int trainSize = 10000, int validationSize = 5000, int testSize = 10000, ulong seed = 0)
    {
        return new DataSets(Fake(trainSize, seed), Fake(validationSize, seed), Fake(testSize, seed));
    }

    private static DataSet Fake(int size, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var images = new byte[size * MnistLayout.ImagePixels];
        Array.Fill(images, byte.MaxValue); // 255 / 255 is exactly 1.0 under the default scaling
        return new DataSet(images, new byte[size], PixelScaling.ZeroToOne, seed);
    }

    private static (byte[] Images, byte[] Labels) ReadPair(string directory, MnistFile imagesFile, MnistFile labelsFile)
    {
        var images = IdxReader.ReadImages(Path.Combine(directory, imagesFile.Name));
        var labels = IdxReader.ReadLabels(Path.Combine(directory, labelsFile.Name));
        if (images.Length != labels.Length * MnistLayout.ImagePixels)
        {
            throw new MnistDataException(
                $"{imagesFile.Name} has {images.Length / MnistLayout.ImagePixels} images but {labelsFile.Name} has {labels.Length} labels");
        }
        return (images, labels);
    }
}
