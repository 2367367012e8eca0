using System.Text.RegularExpressions;
using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed partial class ReportHtmlTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex("<img src=\"([^\"]*)\" alt=\"([^\"]*)\">")]
    private static partial Regex Image();

    [Fact]
    public void PageEmbedsItsPicturesInSectionOrderWithCaptionsAndTables()
    {
        WeightMaps.Write(_dir.File("weights.png"), new float[7840]);
        DigitPicture.Write(_dir.File("digit.png"), new byte[784], "7");
        var report = new RunReport("softmax <run>",
            new Dictionary<string, string> { ["learning_rate"] = "0.5", ["steps"] = "1000" },
            new Dictionary<string, string> { ["test accuracy"] = "92.1%", ["time"] = "3.2 s" },
            [
                new("Digits & weights", "Two pictures.", Figures: [new("digit.png", "A blank digit"), new("weights.png", "All-zero weights")]),
                new("Per class", Table: new ReportTable(["class", "accuracy"], [["0", "0.98"], ["1", "0.99"]])),
                new("Nothing drawn", Figures: [new("missing.png", "a picture this run did not draw")]),
            ]);

        string path = ReportHtml.Write(_dir.Path, report);

        Assert.Equal(_dir.File(ReportHtml.FileName), path);
        string html = File.ReadAllText(path);
        var images = Image().Matches(html).ToList();
        Assert.Equal(["A blank digit", "All-zero weights"], images.Select(m => m.Groups[2].Value));
        // Each picture is the file's own bytes, so the page needs nothing beside it.
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(_dir.File("digit.png")))}", images[0].Groups[1].Value);
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(_dir.File("weights.png")))}", images[1].Groups[1].Value);
        Assert.Contains("<figcaption>A blank digit</figcaption>", html);
        var headings = Regex.Matches(html, "<h2>([^<]+)</h2>").Select(m => m.Groups[1].Value);
        // A section with nothing to show (its only picture is missing) is left out.
        Assert.Equal(["Results", "Digits &amp; weights", "Per class", "Settings"], headings);
        Assert.Contains("<p>Two pictures.</p>", html);
        Assert.Contains("<tr><th>class</th><th>accuracy</th></tr>", html);
        Assert.Contains("<tr><th>1</th><td class=\"number\">0.99</td></tr>", html);
        Assert.Contains("softmax &lt;run&gt;", html);
        Assert.Contains("<th>learning_rate</th><td>0.5</td>", html);
        Assert.Contains("<th>test accuracy</th><td>92.1%</td>", html);
        Assert.DoesNotContain("http", html);   // nothing fetched from elsewhere
    }
}
