using System.Text.RegularExpressions;
using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed partial class ReportHtmlTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex("<img src=\"([^\"]*)\"")]
    private static partial Regex ImageSource();

    [Fact]
    public void PageShowsSettingsResultsAndEveryPictureInTheFolder()
    {
        WeightMaps.Write(_dir.File("weights.png"), new float[7840]);
        Curves.WriteTraining(_dir.File("curves"), new TrainingCurves([0, 1], [2, 1], [0.1, 0.5], [0.5, 0.5], [], []));
        DigitPicture.Write(_dir.File("digit 7 & more.png"), new byte[784], "7");
        var report = new RunReport("softmax <run>",
            new Dictionary<string, string> { ["learning_rate"] = "0.5", ["steps"] = "1000" },
            new Dictionary<string, string> { ["test accuracy"] = "92.1%", ["time"] = "3.2 s" });

        string path = ReportHtml.Write(_dir.Path, report);

        Assert.Equal(_dir.File(ReportHtml.FileName), path);
        string html = File.ReadAllText(path);
        var sources = ImageSource().Matches(html).Select(m => Uri.UnescapeDataString(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
        Assert.Equal(5, sources.Count);   // weights, digit and the three curves
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(_dir.Path, s)), $"{s} does not exist"));
        Assert.Contains("curves/loss.png", sources);
        Assert.Contains("digit 7 & more.png", sources);
        Assert.Contains("softmax &lt;run&gt;", html);
        Assert.Contains("<th>learning_rate</th><td>0.5</td>", html);
        Assert.Contains("<th>test accuracy</th><td>92.1%</td>", html);
        Assert.DoesNotContain("http", html);   // self-contained: nothing fetched from elsewhere
    }
}
