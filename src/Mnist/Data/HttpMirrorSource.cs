using System.IO.Compression;
using System.Net;

namespace Mnist.Data;

/// <summary>
/// An HTTPS mirror serving <c>NAME.gz</c> for each canonical file. The connect timeout is short so an
/// offline machine (DNS failure, blocked network) moves on to the next source within seconds.
/// </summary>
public sealed class HttpMirrorSource : IMnistSource
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Uri _baseUri;
    private readonly TimeSpan _connectTimeout;

    public HttpMirrorSource(string baseUrl, TimeSpan? connectTimeout = null)
    {
        _baseUri = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
    }

    public string Name => _baseUri.ToString();

    public void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _connectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // Bounds the wait for response headers; the body of the largest file (~10 MB) then streams.
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var file in files)
        {
            var uri = new Uri(_baseUri, file.Name + ".gz");
            progress?.Invoke($"Downloading {uri}");
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var body = response.Content.ReadAsStream();
            using var raw = new GZipStream(body, CompressionMode.Decompress);
            FileInstaller.Install(raw, file, directory, uri.ToString());
        }
    }
}
