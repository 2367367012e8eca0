using System.Security.Cryptography;
using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>Data folders holding raw or gzipped IDX files, and how their files are verified.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Labels = IdxFiles.Labels([7, 2, 1, 0]);
    private static readonly MnistFile LabelsFile =
        new("t10k-labels-idx1-ubyte", Convert.ToHexStringLower(SHA256.HashData(Labels)), Labels.Length);

    private void WriteSet(string folder, bool gzip, byte firstLabel)
    {
        Directory.CreateDirectory(folder);
        var pixels = IndexedExamples.Pixels(4);
        byte[] labels = [firstLabel, 2, 1, 0];
        void Put(string name, byte[] content) =>
            File.WriteAllBytes(Path.Combine(folder, gzip ? name + ".gz" : name), gzip ? IdxFiles.Gzip(content) : content);
        Put("train-images-idx3-ubyte", IdxFiles.Images(pixels, 4));
        Put("train-labels-idx1-ubyte", IdxFiles.Labels(labels));
        Put("t10k-images-idx3-ubyte", IdxFiles.Images(pixels, 4));
        Put("t10k-labels-idx1-ubyte", IdxFiles.Labels(labels));
    }

    [Fact]
    public void A_folder_of_gz_files_loads_and_gz_wins_when_both_are_there()
    {
        WriteSet(_dir.Path, gzip: true, firstLabel: 9);
        Assert.Equal(9, InputData.LoadDataSets(_dir.Path, validationSize: 1).Validation.Labels[0]);

        WriteSet(_dir.Path, gzip: false, firstLabel: 3);
        Assert.Equal(9, InputData.LoadDataSets(_dir.Path, validationSize: 1).Validation.Labels[0]);
    }

    [Fact]
    public void Fashion_splits_carry_their_class_names()
    {
        WriteSet(_dir.Path, gzip: true, firstLabel: 9);
        var sets = InputData.LoadDataSets(_dir.Path, validationSize: 1, dataSet: KnownDataSets.Fashion);
        Assert.Equal("Ankle boot", sets.Validation.ClassNames[sets.Validation.Labels[0]]);
        Assert.Equal(KnownDataSets.Fashion, sets.DataSet);
    }

    [Fact]
    public void A_gz_file_holds_by_its_known_digest_or_by_what_it_unpacks_to()
    {
        var gzip = IdxFiles.Gzip(Labels);
        var path = _dir.File(LabelsFile.GzipName);
        File.WriteAllBytes(path, gzip);
        Assert.True(FileChecksum.Check(LabelsFile, _dir.Path).ChecksumOk); // recompressed: unpacked and compared
        var known = LabelsFile with { GzipSha256 = [Convert.ToHexStringLower(SHA256.HashData(gzip))] };
        Assert.True(FileChecksum.Check(known, _dir.Path).ChecksumOk);

        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Labels([7, 2, 1, 1])));
        Assert.False(FileChecksum.Check(LabelsFile, _dir.Path).ChecksumOk);
        var damaged = IdxFiles.Gzip(Labels);
        damaged.AsSpan(10, damaged.Length - 18).Fill(0xff);
        File.WriteAllBytes(path, damaged);
        var corrupt = FileChecksum.Check(LabelsFile, _dir.Path);
        Assert.False(corrupt.ChecksumOk);
        Assert.StartsWith("corrupt gzip data", corrupt.Problem);
    }

    [Fact]
    public void The_published_checksums_are_of_the_files_named()
    {
        // Guards against a pasted digest landing on the wrong file: every data set's four digests differ.
        foreach (var set in KnownDataSets.All)
        {
            Assert.Equal(4, set.Files.Select(f => f.Sha256).Distinct().Count());
            Assert.All(set.Files, f => Assert.NotEmpty(f.GzipSha256!));
        }
        Assert.Empty(KnownDataSets.Mnist.Files.Select(f => f.Sha256).Intersect(KnownDataSets.Fashion.Files.Select(f => f.Sha256)));
    }

    [FashionFact]
    public void Debians_fashion_files_match_the_known_digests()
    {
        foreach (var status in MnistFetcher.Verify(KnownDataSets.Fashion, KnownDataSets.DebianFashionFolder))
            Assert.True(status.ChecksumOk, $"{status.Path}: {status.ActualSha256}");
    }
}
