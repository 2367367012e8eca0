using Microsoft.Playwright;

namespace Mnist.Web.Tests;

/// <summary>The projector in a real browser: points coloured by label, a tooltip on hover, neighbours on click, a cached map.</summary>
[Collection(ServedRunCollection.Name)]
public sealed class ProjectorPageTests(ServedRun run, Chromium chromium)
{
    [Fact]
    public async Task HoveringAPointShowsItsDigitAndClickingListsItsNeighbours()
    {
        var page = await chromium.OpenAsync(new Uri(run.Server.Url, $"/projector?model={ServedRun.RunName}&count=300"));
        var dots = page.Locator("#map circle");
        await dots.Nth(299).WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
        Assert.Equal(300, await dots.CountAsync());
        Assert.True(File.Exists(ProjectorMaps.CacheFile(run.RunFolder, 300)), "the map is cached in the run folder");

        await dots.Nth(17).HoverAsync(new() { Force = true });
        var tooltip = page.Locator("#tooltip");
        await tooltip.WaitForAsync();
        Assert.Matches(@"^label \d, predicted \d$", await tooltip.Locator("span").TextContentAsync());
        await page.WaitForFunctionAsync("""
            (() => { const d = document.querySelector("#tooltip canvas").getContext("2d").getImageData(0, 0, 28, 28).data;
                     for (let i = 0; i < d.length; i += 4) if (d[i] > 128) return true; return false; })()
            """);
        await chromium.ShotAsync(page, "projector-hover");

        await dots.Nth(17).ClickAsync(new() { Force = true });
        await page.Locator("#neighbours canvas").Nth(ProjectorMaps.Neighbours - 1).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(ProjectorMaps.Neighbours, await page.Locator("#neighbours canvas").CountAsync());

        await page.CheckAsync("input[name=space][value=pixels]");
        Assert.Equal("pixels", await page.GetAttributeAsync("#map", "data-space"));
        Assert.Equal(300, await dots.CountAsync());
        await page.CloseAsync();
    }
}
