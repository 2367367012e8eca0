using System.IO.Compression;
using Mnist.IO;

namespace Mnist.Data;

/// <summary>
/// A folder on this machine holding a data set's files, raw or gzipped (Debian's dataset-fashion-mnist installs
/// the .gz files under /usr/share/datasets): each is unpacked if need be and installed, verified, into the data folder.
/// </summary>
public sealed class FolderSource(string folder) : IMnistSource
{
    public string Name => folder;

    public void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress)
    {
        foreach (var file in files)
        {
            var path = DataFolder.PathOf(folder, file);
            if (!Path.Exists(path)) throw new MnistDataException($"{folder} holds neither {file.GzipName} nor {file.Name}");
            if (RegularFile.Problem(path) is string problem) throw new MnistDataException($"{path} {problem}");
            progress?.Invoke($"Copying {path}");
            using var stream = File.OpenRead(path);
            using var content = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
            FileInstaller.Install(content, file, directory, path);
        }
    }
}
