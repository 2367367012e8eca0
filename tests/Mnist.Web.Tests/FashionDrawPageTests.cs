using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Mnist.Data;
using Mnist.Models;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Web.Tests;

/// <summary>A model trained on Fashion-MNIST names its bars, and /api/predict its classes, as Fashion-MNIST does.</summary>
[Collection(FashionServedRun.Name)]
public sealed class FashionDrawPageTests(FashionServedRun run, Chromium chromium)
{
    [FashionFact]
    public async Task PredictAnswersWithTheFashionClassNames()
    {
        using var response = await run.Http.PostAsJsonAsync("/api/predict", new { pixels = new float[MnistLayout.ImagePixels] });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("classNames").EnumerateArray().Select(v => v.GetString() ?? "").ToArray();
        Assert.Equal(KnownDataSets.Fashion.ClassNames, names);
        Assert.Equal(names[json.RootElement.GetProperty("digit").GetInt32()], json.RootElement.GetProperty("className").GetString());
    }

    [FashionFact]
    public async Task TheBarsCarryTheFashionClassNames()
    {
        var page = await chromium.OpenAsync(run.Server.Url);
        await page.WaitForSelectorAsync($"#model option[value='{FashionServedRun.RunName}']", new() { State = WaitForSelectorState.Attached });
        var box = (await (await page.QuerySelectorAsync("#pad"))!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.2f);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.8f, new() { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.WaitForFunctionAsync("document.querySelectorAll('#bars .bar').length === 10 && document.body.dataset.busy === 'false'");
        await chromium.ShotAsync(page, "draw-fashion");

        var labels = await page.EvalOnSelectorAllAsync<string[]>("#bars .bar .digit", "spans => spans.map(s => s.textContent)");
        Assert.Equal(KnownDataSets.Fashion.ClassNames, labels);
        string guess = await page.TextContentAsync("#guess") ?? "";
        Assert.Contains(guess, KnownDataSets.Fashion.ClassNames);
        // The longest name fits its column: the label does not spill over its bar.
        Assert.True(await page.EvalOnSelectorAllAsync<bool>("#bars .bar .digit", "spans => spans.every(s => s.scrollWidth <= s.clientWidth)"));
        await page.CloseAsync();
    }
}

/// <summary>A softmax run trained briefly on Fashion-MNIST (Debian's files) and a server listing it.</summary>
public sealed class FashionServedRun : IAsyncLifetime
{
    public const string Name = "served fashion run";
    public const string RunName = "softmax-fashion";
    private readonly string _root = Directory.CreateTempSubdirectory("mnist-web-fashion-").FullName;
    public WebServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!FashionFactAttribute.Installed) return;
        string runFolder = Path.Combine(_root, "runs", RunName);
        Directory.CreateDirectory(runFolder);
        var data = new DataOptions(KnownDataSets.DebianFashionFolder, Offline: true, DataSet: KnownDataSets.Fashion.Name);
        var settings = ModelCatalog.Get("softmax").DefaultSettings with { Steps = 100, DataSet = KnownDataSets.Fashion.Name };
        TrainingRun.Execute(new TrainingRun.Options("softmax", settings, data, null, runFolder), _ => { });
        var test = data.Load(PixelScaling.ZeroToOne, 0).Test;
        Server = await WebServer.StartAsync(new ServeOptions(Path.Combine(_root, "runs"), null, IPAddress.Loopback, 0, _ => test));
        Http = new HttpClient { BaseAddress = Server.Url };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}

[CollectionDefinition(FashionServedRun.Name)]
public sealed class FashionServedRunCollection : ICollectionFixture<FashionServedRun>, ICollectionFixture<Chromium>;
