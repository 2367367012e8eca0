using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mnist.Models;

namespace Mnist.Web;

/// <summary>
/// Every failure of a request becomes a JSON <c>{"error": "..."}</c> with a status code: the client's mistakes
/// 4xx, a bug 500; no exception leaves a request, so the server never dies from one.
/// </summary>
public static class JsonErrors
{
    public static async Task Handle(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                BadRequestException b => (b.Status, b.Message),
                BadHttpRequestException k => (k.StatusCode, k.Message),   // Kestrel's own: body too large, malformed
                JsonException j => (400, $"the body is not valid JSON: {j.Message}"),
                ModelFileException m => (500, m.Message),
                _ => (500, $"internal error: {e.GetType().Name}: {e.Message}"),
            };
            await Write(context, status, message);
        }
    }

    public static Task Write(HttpContext context, int status, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }
}
