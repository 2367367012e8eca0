using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mnist.Web;

/// <summary>`mnist serve`: Kestrel with the API and the embedded pages, started on the asked address.</summary>
public sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModels _models;

    private WebServer(WebApplication app, ServedModels models, Uri url)
    {
        _app = app;
        _models = models;
        Url = url;
    }

    /// <summary>The address it answers on (with the real port when 0 was asked for).</summary>
    public Uri Url { get; }

    public static async Task<WebServer> StartAsync(ServeOptions options)
    {
        // The slim builder reads no appsettings files and no command line: everything comes from options.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Host, options.Port);
            k.Limits.MaxRequestBodySize = ServeOptions.MaxDrainBytes;
        });
        var app = builder.Build();
        var models = new ServedModels(options.RunsFolder, options.ModelFile);
        app.Use(JsonErrors.Handle);
        EmbeddedPages.Map(app);
        PredictApi.Map(app, models, options.DigitInput);
        RunsApi.Map(app, options.RunsFolder, models, new TestSetPredictions(models, options.TestImages));
        ProjectorApi.Map(app, models, new ProjectorMaps(models, options.TestImages));
        // Whatever matches no route under /api gets a JSON 404 too.
        app.MapFallback("/api/{**rest}", (HttpContext c) => JsonErrors.Write(c, 404, $"no such endpoint: {c.Request.Method} {c.Request.Path}"));

        await app.StartAsync();
        string address = app.Urls.First();   // after start: with the real port
        return new WebServer(app, models, new Uri(address.Replace("[::]", "localhost")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _models.Dispose();
    }
}
