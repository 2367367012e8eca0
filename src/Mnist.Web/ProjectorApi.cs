using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mnist.Web;

/// <summary><c>GET /api/projector?model=ID&amp;count=N</c>: the projector page's two maps (see <see cref="ProjectorMaps"/>).</summary>
public static class ProjectorApi
{
    public const int DefaultCount = 1000, MaxCount = 5000;

    public static void Map(WebApplication app, ServedModels models, ProjectorMaps maps)
    {
        app.MapGet("/api/projector", (string? model, int? count) =>
        {
            int n = count ?? DefaultCount;
            if (n is < 10 or > MaxCount) throw new BadRequestException(400, $"count {n} is out of range: 10..{MaxCount} test images");
            return Results.Json(maps.For(models.Find(model), n), Json.Web);
        });
    }
}
