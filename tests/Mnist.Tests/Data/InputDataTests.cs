using Mnist.Data;

namespace Mnist.Tests.Data;

public sealed class InputDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteSplit(MnistFile images, MnistFile labels, int count, int first, int labelCount)
    {
        File.WriteAllBytes(_dir.File(images.Name), IdxFiles.Images(IndexedExamples.Pixels(count, first), count));
        File.WriteAllBytes(_dir.File(labels.Name), IdxFiles.Labels(IndexedExamples.Labels(labelCount, first)));
    }

    [Fact]
    public void Validation_is_the_start_of_the_training_file_and_train_the_rest()
    {
        WriteSplit(MnistFiles.TrainImages, MnistFiles.TrainLabels, count: 12, first: 0, labelCount: 12);
        WriteSplit(MnistFiles.TestImages, MnistFiles.TestLabels, count: 5, first: 100, labelCount: 5);

        var sets = InputData.LoadDataSets(_dir.Path, validationSize: 4);

        Assert.Equal(8, sets.Train.NumExamples);
        Assert.Equal(4, sets.Validation.NumExamples);
        Assert.Equal(5, sets.Test.NumExamples);
        Assert.Equal([0, 1, 2, 3], Gather(sets.Validation));
        Assert.Equal(Enumerable.Range(4, 8), Gather(sets.Train));
        Assert.Equal(Enumerable.Range(100, 5), Gather(sets.Test));
        Assert.Equal([4, 5, 6, 7, 8, 9, 0, 1], sets.Train.Labels.Select(l => (int)l));
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        WriteSplit(MnistFiles.TrainImages, MnistFiles.TrainLabels, count: 12, first: 0, labelCount: 11);
        WriteSplit(MnistFiles.TestImages, MnistFiles.TestLabels, count: 5, first: 0, labelCount: 5);

        var e = Assert.Throws<MnistDataException>(() => InputData.LoadDataSets(_dir.Path, validationSize: 4));
        Assert.Equal("train-images-idx3-ubyte has 12 images but train-labels-idx1-ubyte has 11 labels", e.Message);
    }

    [Fact]
    public void Validation_size_must_fit_the_training_set()
    {
        WriteSplit(MnistFiles.TrainImages, MnistFiles.TrainLabels, count: 12, first: 0, labelCount: 12);
        WriteSplit(MnistFiles.TestImages, MnistFiles.TestLabels, count: 5, first: 0, labelCount: 5);

        Assert.Throws<ArgumentOutOfRangeException>(() => InputData.LoadDataSets(_dir.Path, validationSize: 13));
    }

    [Fact]
    public void Fake_data_is_all_ones_with_label_zero()
    {
        var sets = InputData.FakeDataSets(trainSize: 30, validationSize: 20, testSize: 10);
        Assert.Equal((30, 20, 10), (sets.Train.NumExamples, sets.Validation.NumExamples, sets.Test.NumExamples));

        var batch = sets.Train.NextBatch(16);
        Assert.All(batch.Images, v => Assert.Equal(1f, v));
        Assert.All(batch.Labels, l => Assert.Equal(0, l));
        Assert.Equal([1f, 0, 0, 0, 0, 0, 0, 0, 0, 0], batch.OneHotLabels[..10]);
    }

    [Fact]
    public void Fake_data_defaults_to_tensorflow_sizes()
    {
        var sets = InputData.FakeDataSets();
        Assert.Equal((10000, 5000, 10000), (sets.Train.NumExamples, sets.Validation.NumExamples, sets.Test.NumExamples));
    }

    private static int[] Gather(DataSet data)
    {
        var images = new float[data.NumExamples * MnistLayout.ImagePixels];
        data.GatherImages(0, data.NumExamples, images);
        return IndexedExamples.Decode(images, data.NumExamples);
    }
}
