using System.Net;
using Microsoft.Playwright;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Web.Tests;

/// <summary>The runs page in a real browser: a run's curves grow while it trains; a confusion cell lists its images.</summary>
[Collection(ServedRunCollection.Name)]
public sealed class RunsPageTests(ServedRun run, Chromium chromium)
{
    [Fact]
    public async Task ACurveGrowsWhileARunTrainsAndItsFiguresAppearWhenItEnds()
    {
        // A server of its own, so this run does not become the default model of the other tests.
        var runs = Directory.CreateTempSubdirectory("mnist-live-").FullName;
        try
        {
            await using var server = await WebServer.StartAsync(new ServeOptions(runs, null, IPAddress.Loopback, 0, _ => run.Test));
            var page = await chromium.OpenAsync(new Uri(server.Url, "/runs"));
            var settings = ModelCatalog.Get("softmax").DefaultSettings with { Steps = 1200, LogEvery = 20 };
            // Slowed down (2 ms a step) so the page, polling once a second, sees the log grow several times.
            var folder = Directory.CreateDirectory(Path.Combine(runs, "softmax-live")).FullName;
            var training = Task.Run(() => TrainingRun.Execute(new TrainingRun.Options("softmax", settings, new DataOptions(), null, folder),
                _ => { }, onStep: (_, _) => Thread.Sleep(2)));

            var loss = page.Locator("section[data-run='softmax-live'] polyline[data-series='loss']");
            await loss.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
            int first = int.Parse((await loss.GetAttributeAsync("data-count"))!);
            await page.WaitForFunctionAsync(
                $"document.querySelector(\"section[data-run='softmax-live'] polyline[data-series='loss']\").dataset.count > {first}", null, new() { Timeout = 60_000 });
            await chromium.ShotAsync(page, "runs-live");
            var result = await training;

            var accuracy = page.Locator("section[data-run='softmax-live'] .test-accuracy");
            await accuracy.WaitForAsync(new() { Timeout = 60_000 });
            Assert.Equal(result.TestAccuracy.ToString("F4"), await accuracy.TextContentAsync());
            int logged = File.ReadAllLines(Path.Combine(runs, "softmax-live", MetricsLog.FileName)).Length;
            Assert.Equal(logged.ToString(), await loss.GetAttributeAsync("data-count"));
            await page.CloseAsync();
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }

    [Fact]
    public async Task AConfusionCellListsItsTestImages()
    {
        var page = await chromium.OpenAsync(new Uri(run.Server.Url, "/runs"));
        var cell = page.Locator($"section[data-run='{ServedRun.RunName}'] td[data-cell='4,9']");
        await cell.WaitForAsync(new() { Timeout = 60_000 });
        int count = int.Parse((await cell.TextContentAsync())!);
        Assert.True(count > 0, "softmax mistakes some 4s for 9s");
        await cell.ClickAsync();
        await page.Locator("#cell-digits canvas").Nth(count - 1).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(count, await page.Locator("#cell-digits canvas").CountAsync());
        Assert.Contains($"{count} test images of a 4 read as 9", await page.TextContentAsync("#cell-title"));
        await chromium.ShotAsync(page, "runs-confusion");
        await page.CloseAsync();
    }
}
