using Mnist.Models;
using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>Issue 18's race: two `mnist train` processes started together from one folder each keep their own run folder.</summary>
public class RunFolderRaceTests
{
    [Fact]
    public async Task TwoRunsStartedTogetherKeepTheirOwnFolders()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("data").ExitCode);   // fetched once, so both runs start equally fast
        var runs = await Task.WhenAll(new[] { "1", "2" }.Select(seed =>
            Task.Run(() => (seed, result: CliRunner.RunIn(dir.Path, "train", "--steps", "30", "--seed", seed)))));

        var folders = new List<string>();
        foreach (var (seed, r) in runs)
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            string line = r.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("run folder: "));
            string folder = Path.Combine(dir.Path, line["run folder: ".Length..]);
            folders.Add(folder);
            Assert.Equal(seed, ModelFile.Load(Path.Combine(folder, "model.safetensors")).Settings["seed"]);
            Assert.Contains($"<th>seed</th><td>{seed}</td>", File.ReadAllText(Path.Combine(folder, "report.html")));
        }
        Assert.NotEqual(folders[0], folders[1]);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(dir.Path, "runs")).Length);
    }
}
