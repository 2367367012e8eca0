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
        MnistFetcher? fetcher = null,
        KnownDataSet? dataSet = null)
    {
        dataSet ??= KnownDataSets.Mnist;
        var directory = (fetcher ?? new MnistFetcher(dataSet)).EnsureFiles(dataDirectory, progress);
        return LoadDataSets(directory, validationSize, scaling, seed, dataSet);
    }

    /// <summary>
    /// Loads the four canonically named IDX files (NAME.gz preferred, else raw NAME) from <paramref name="directory"/>
    /// without checksums, so any MNIST-format data can be used; the splits carry <paramref name="dataSet"/>'s class names.
    /// </summary>
    public static DataSets LoadDataSets(
        string directory,
        int validationSize = DefaultValidationSize,
        PixelScaling scaling = PixelScaling.ZeroToOne,
        ulong seed = 0,
        KnownDataSet? dataSet = null)
    {
        dataSet ??= KnownDataSets.Mnist;
        var (trainImages, trainLabels) = ReadPair(directory, dataSet.TrainImages, dataSet.TrainLabels);
        var (testImages, testLabels) = ReadPair(directory, dataSet.TestImages, dataSet.TestLabels);
        if (validationSize < 0 || validationSize > trainLabels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize,
                $"validation size must be between 0 and the {trainLabels.Length} training examples");
        }
        int split = validationSize * MnistLayout.ImagePixels;
        var names = dataSet.ClassNames;
        var validation = new DataSet(trainImages[..split], trainLabels[..validationSize], scaling, seed, names);
        var train = new DataSet(trainImages[split..], trainLabels[validationSize..], scaling, seed, names);
        var test = new DataSet(testImages, testLabels, scaling, seed, names);
        return new DataSets(train, validation, test, dataSet);
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
        var images = IdxReader.ReadImages(DataFolder.PathOf(directory, imagesFile));
        var labels = IdxReader.ReadLabels(DataFolder.PathOf(directory, labelsFile));
        if (images.Length != labels.Length * MnistLayout.ImagePixels)
        {
            throw new MnistDataException(
                $"{imagesFile.Name} has {images.Length / MnistLayout.ImagePixels} images but {labelsFile.Name} has {labels.Length} labels");
        }
        return (images, labels);
    }
}
