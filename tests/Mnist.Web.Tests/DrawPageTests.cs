using Microsoft.Playwright;

namespace Mnist.Web.Tests;

/// <summary>The draw page in a real browser: strokes drawn with the mouse get the digit they look like.</summary>
[Collection(ServedRunCollection.Name)]
public sealed class DrawPageTests(ServedRun run, Chromium chromium)
{
    [Fact]
    public async Task AVerticalLineIsAOneAndALoopIsAZero()
    {
        var page = await chromium.OpenAsync(run.Server.Url);
        await page.WaitForSelectorAsync($"#model option[value='{ServedRun.RunName}']", new() { State = WaitForSelectorState.Attached });
        var pad = (await page.QuerySelectorAsync("#pad"))!;
        var box = (await pad.BoundingBoxAsync())!;
        float cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;

        await Stroke(page, Enumerable.Range(0, 21).Select(i => (cx, box.Y + box.Height * (0.15f + 0.7f * i / 20))));
        var top = await TopTwo(page);
        await chromium.ShotAsync(page, "draw-one");
        Assert.Contains(1, top);
        Assert.True(await PreviewInk(page) > 10, "the 28×28 preview shows the stroke");

        await page.ClickAsync("#clear");
        Assert.Equal(0, await page.Locator("#bars .bar").CountAsync());
        Assert.Equal(0, await PreviewInk(page));

        await Stroke(page, Enumerable.Range(0, 41).Select(i =>
        {
            double a = 2 * Math.PI * i / 40;
            return ((float)(cx + box.Width * 0.25 * Math.Sin(a)), (float)(cy - box.Height * 0.33 * Math.Cos(a)));
        }));
        top = await TopTwo(page);
        await chromium.ShotAsync(page, "draw-zero");
        Assert.Contains(0, top);

        // An uploaded picture gets the same view: test image 0 is a 7.
        string png = Path.Combine(chromium.Screenshots, "upload-test-0.png");
        File.WriteAllBytes(png, PredictApiTests.Png(run.TestImage(0)));
        await page.SetInputFilesAsync("#upload", png);
        await page.WaitForFunctionAsync("document.getElementById('guess').textContent === '7'");
        Assert.Equal(7, (await TopTwo(page))[0]);
        await chromium.ShotAsync(page, "draw-upload");
        await page.CloseAsync();
    }

    private static async Task Stroke(IPage page, IEnumerable<(float X, float Y)> points)
    {
        var path = points.ToArray();
        await page.Mouse.MoveAsync(path[0].X, path[0].Y);
        await page.Mouse.DownAsync();
        foreach (var (x, y) in path[1..]) await page.Mouse.MoveAsync(x, y, new() { Steps = 2 });
        await page.Mouse.UpAsync();
    }

    /// <summary>The two digits with the longest bars, once the last prediction has come back.</summary>
    private static async Task<int[]> TopTwo(IPage page)
    {
        await page.WaitForFunctionAsync("document.querySelectorAll('#bars .bar').length === 10 && document.body.dataset.busy === 'false'");
        var probabilities = await page.EvalOnSelectorAllAsync<double[]>("#bars .bar", "rows => rows.map(r => Number(r.dataset.probability))");
        Assert.Equal(1.0, probabilities.Sum(), 3);
        return probabilities.Select((p, digit) => (p, digit)).OrderByDescending(t => t.p).Take(2).Select(t => t.digit).ToArray();
    }

    /// <summary>How many of the preview's 784 pixels are lit.</summary>
    private static Task<int> PreviewInk(IPage page) => page.EvalOnSelectorAsync<int>("#preview", """
        c => { const d = c.getContext("2d").getImageData(0, 0, 28, 28).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 64) n++; return n; }
        """);
}
