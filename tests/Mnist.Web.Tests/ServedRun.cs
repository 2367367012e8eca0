using System.Net;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Web.Tests;

/// <summary>
/// One trained softmax run in a temporary runs folder and a real server on a free loopback port, shared by
/// every test of the collection (training and start-up happen once).
/// </summary>
public sealed class ServedRun : IAsyncLifetime
{
    public const string RunName = "softmax-test";
    public string Root { get; } = Directory.CreateTempSubdirectory("mnist-web-").FullName;
    public string RunsFolder => Path.Combine(Root, "runs");
    public string RunFolder => Path.Combine(RunsFolder, RunName);
    public DataSet Test { get; private set; } = null!;
    public TrainResult Trained { get; private set; } = null!;
    public WebServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var model = ModelCatalog.Get("softmax");
        Directory.CreateDirectory(RunFolder);   // as `mnist train` does before training (RunFolder.Create)
        Trained = TrainingRun.Execute(new TrainingRun.Options("softmax", model.DefaultSettings, new DataOptions(), null, RunFolder), _ => { });
        Test = new DataOptions().Load(PixelScaling.ZeroToOne, 0).Test;
        Server = await WebServer.StartAsync(new ServeOptions(RunsFolder, null, IPAddress.Loopback, 0, _ => Test));
        Http = new HttpClient { BaseAddress = Server.Url };
    }

    public float[] TestImage(int index)
    {
        var pixels = new float[MnistLayout.ImagePixels];
        Test.GatherImages(index, 1, pixels);
        return pixels;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ServedRunCollection : ICollectionFixture<ServedRun>, ICollectionFixture<Chromium>
{
    public const string Name = "served run";
}
