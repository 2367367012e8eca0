using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SkiaSharp;

namespace Mnist.Web.Tests;

/// <summary>The HTTP API against the real server: predictions, the model list, and every kind of bad request.</summary>
[Collection(ServedRunCollection.Name)]
public sealed class PredictApiTests(ServedRun run)
{
    [Fact]
    public async Task JsonPixelsOfTestImagesGetTheModelsOwnPredictions()
    {
        int agree = 0;
        for (int i = 0; i < 20; i++)
        {
            using var response = await run.Http.PostAsJsonAsync("/api/predict", new { pixels = run.TestImage(i) });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var p = json.RootElement.GetProperty("probabilities").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(10, p.Length);
            Assert.Equal(1.0, p.Sum(), 3);
            int digit = json.RootElement.GetProperty("digit").GetInt32();
            Assert.Equal(Array.IndexOf(p, p.Max()), digit);
            Assert.Equal(ServedRun.RunName, json.RootElement.GetProperty("model").GetString());
            Assert.Equal(784, json.RootElement.GetProperty("input").GetArrayLength());
            if (digit == run.Test.Labels[i]) agree++;
        }
        Assert.True(agree >= 17, $"{agree} of 20 test images predicted right; the model scores ~92%");
    }

    [Fact]
    public async Task PngOfATestDigitIsPredictedLikeItsPixels()
    {
        var pixels = run.TestImage(0);
        using var content = new ByteArrayContent(Png(pixels));
        content.Headers.ContentType = new("image/png");
        using var response = await run.Http.PostAsync("/api/predict", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(run.Test.Labels[0], json.RootElement.GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task ModelsListTheRunWithItsDataSetAndTestAccuracy()
    {
        using var json = JsonDocument.Parse(await run.Http.GetStringAsync("/api/models"));
        var model = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(ServedRun.RunName, model.GetProperty("id").GetString());
        Assert.True(model.GetProperty("default").GetBoolean());
        Assert.Equal("softmax", model.GetProperty("name").GetString());
        Assert.Equal("mnist", model.GetProperty("dataSet").GetString());
        Assert.Equal(run.Trained.TestAccuracy, model.GetProperty("testAccuracy").GetDouble(), 6);
    }

    public static TheoryData<string, string, string, int> BadRequests => new()
    {
        { "empty body", "application/json", "", 400 },
        { "783 values", "application/json", Pixels(783), 400 },
        { "785 values", "application/json", Pixels(785), 400 },
        { "NaN", "application/json", Pixels(784).Replace("[0,", "[NaN,"), 400 },
        { "NaN as a string", "application/json", Pixels(784).Replace("[0,", "[\"NaN\","), 400 },
        { "a value over 1", "application/json", Pixels(784).Replace("[0,", "[2,"), 400 },
        { "not JSON", "application/json", "{pixels", 400 },
        { "no pixels", "application/json", "{\"image\":[]}", 400 },
        { "wrong content type", "text/plain", "hello", 415 },
        { "not an image", "image/png", "this is not a PNG", 400 },
        { "empty image", "image/jpeg", "", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestGets4xxWithAJsonError(string what, string contentType, string body, int status)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new(contentType);
        await AssertJsonError(await run.Http.PostAsync("/api/predict", content), status, what);
    }

    [Fact]
    public async Task BodyOverOneMegabyteGets413()
    {
        using var content = new ByteArrayContent(new byte[(1 << 20) + 1]);
        content.Headers.ContentType = new("image/png");
        await AssertJsonError(await run.Http.PostAsync("/api/predict", content), 413, "1 MiB");
    }

    [Fact]
    public async Task UnknownModelGets404NamingIt()
    {
        using var response = await run.Http.PostAsJsonAsync("/api/predict?model=nope", new { pixels = run.TestImage(0) });
        await AssertJsonError(response, 404, "nope");
    }

    internal static async Task AssertJsonError(HttpResponseMessage response, int status, string what)
    {
        using (response)
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()), what);
        }
    }

    internal static string Pixels(int count) => "{\"pixels\":[" + string.Join(",", Enumerable.Repeat("0", count)) + "]}";

    /// <summary>A 28×28 greyscale PNG of MNIST pixels (white ink on black, as the data set stores them).</summary>
    internal static byte[] Png(float[] pixels)
    {
        using var bitmap = new SKBitmap(28, 28, SKColorType.Gray8, SKAlphaType.Opaque);
        for (int i = 0; i < 784; i++) bitmap.SetPixel(i % 28, i / 28, new SKColor((byte)(pixels[i] * 255), (byte)(pixels[i] * 255), (byte)(pixels[i] * 255)));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
