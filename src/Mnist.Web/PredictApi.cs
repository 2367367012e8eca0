using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mnist.Data;

namespace Mnist.Web;

/// <summary><c>POST /api/predict</c> and <c>GET /api/models</c>.</summary>
public static class PredictApi
{
    public static void Map(WebApplication app, ServedModels models, IDigitInput digitInput)
    {
        app.MapGet("/api/models", () =>
        {
            var entries = models.Entries();
            return Results.Json(entries.Select((e, i) => models.Describe(e, i == 0)).ToArray(), Json.Web);
        });

        app.MapPost("/api/predict", async (HttpContext context, string? model) =>
        {
            var entry = models.Find(model);
            float[] pixels = await ReadInput(context.Request, digitInput);
            float[] probabilities = models.Session(entry).Probabilities(pixels);
            int digit = Array.IndexOf(probabilities, probabilities.Max());
            // The bars are named as the model's data set names its classes: "T-shirt/top", ... for Fashion-MNIST.
            var classNames = KnownDataSets.Get(models.DataSetOf(entry)).ClassNames;
            return Results.Json(new { digit, className = classNames[digit], classNames, probabilities, model = entry.Id, input = pixels }, Json.Web);
        });
    }

    /// <summary>The 784 pixels of a request: JSON <c>{"pixels": [...]}</c>, or a PNG/JPEG body.</summary>
    private static async Task<float[]> ReadInput(HttpRequest request, IDigitInput digitInput)
    {
        string type = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("application/json" or "image/png" or "image/jpeg"))
            throw new BadRequestException(415, $"content type \"{request.ContentType}\" is not accepted: send application/json {{\"pixels\": [784 numbers]}}, image/png or image/jpeg");
        byte[] body = await ReadBody(request);
        if (body.Length == 0) throw new BadRequestException(400, "the request body is empty");
        return type == "application/json" ? Pixels(body) : digitInput.FromImage(body);
    }

    private static async Task<byte[]> ReadBody(HttpRequest request)
    {
        const int limit = ServeOptions.MaxBodyBytes;
        var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = await request.Body.ReadAsync(buffer)) > 0;)
        {
            // Past the limit the rest is read and dropped, so the client, still sending, gets the 413 rather than
            // a reset connection; Kestrel cuts off bodies beyond ServeOptions.MaxDrainBytes.
            total += n;
            if (total <= limit) body.Write(buffer, 0, n);
        }
        if (total > limit) throw TooLarge(total);
        return body.ToArray();
    }

    private static BadRequestException TooLarge(long bytes) =>
        new(413, $"the body has {bytes} bytes; the limit is {ServeOptions.MaxBodyBytes} (1 MiB)");

    private static float[] Pixels(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("pixels", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new BadRequestException(400, "the JSON body must be an object {\"pixels\": [784 numbers in 0..1]}");
        int count = array.GetArrayLength();
        if (count != MnistLayout.ImagePixels)
            throw new BadRequestException(400, $"\"pixels\" has {count} values; a 28×28 image needs {MnistLayout.ImagePixels}");
        var pixels = new float[count];
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out float f) || !float.IsFinite(f) || f < 0 || f > 1)
                throw new BadRequestException(400, $"\"pixels\"[{i}] is {v.GetRawText()}; every value must be a number in 0..1");
            pixels[i++] = f;
        }
        return pixels;
    }
}

/// <summary>The API's JSON: camelCase names, and NaN written as a string rather than failing the response.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
