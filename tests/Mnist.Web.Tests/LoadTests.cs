using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Mnist.Web.Tests;

/// <summary>A bounded load on loopback: many good requests at once, then many bad ones, and the server still answers.</summary>
[Collection(ServedRunCollection.Name)]
public sealed class LoadTests(ServedRun run)
{
    [Fact]
    public async Task EightClientsSend2000PredictionsThen200BadRequestsAndTheServerStillAnswers()
    {
        var statuses = new ConcurrentBag<int>();
        var body = new { pixels = run.TestImage(3) };
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (int i = 0; i < 250; i++)
            {
                using var r = await run.Http.PostAsJsonAsync("/api/predict", body);
                statuses.Add((int)r.StatusCode);
            }
        }));
        Assert.Equal(2000, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(200, s));

        var bad = new ConcurrentBag<int>();
        string[] bodies = [PredictApiTests.Pixels(783), "", "{", PredictApiTests.Pixels(784).Replace("[0,", "[NaN,")];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async client =>
        {
            for (int i = 0; i < 25; i++)
            {
                using var content = new StringContent(bodies[(client + i) % bodies.Length], Encoding.UTF8, "application/json");
                using var r = await run.Http.PostAsync("/api/predict", content);
                bad.Add((int)r.StatusCode);
            }
        }));
        Assert.Equal(200, bad.Count);
        Assert.All(bad, s => Assert.InRange(s, 400, 499));

        using var after = await run.Http.PostAsJsonAsync("/api/predict", body);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
