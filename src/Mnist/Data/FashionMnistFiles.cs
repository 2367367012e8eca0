namespace Mnist.Data;

/// <summary>
/// The four Fashion-MNIST files (Zalando Research), named as MNIST's. Raw checksums are of the published .gz
/// files unpacked (the same bytes Debian's package unpacks to); each file has two known .gz checksums: the
/// published file's (zalandoresearch/fashion-mnist, MD5s as in its README) and that of Debian's package
/// dataset-fashion-mnist 0.0~git20200523.55506a9-1, which recompressed them.
/// </summary>
public static class FashionMnistFiles
{
    public static readonly MnistFile TrainImages =
        new("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47040016,
            ["3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
             "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"]);

    public static readonly MnistFile TrainLabels =
        new("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60008,
            ["a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
             "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"]);

    public static readonly MnistFile TestImages =
        new("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7840016,
            ["346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
             "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"]);

    public static readonly MnistFile TestLabels =
        new("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10008,
            ["67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
             "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"]);

    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}
