using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>A source whose behaviour a test scripts; it records which files it was asked for.</summary>
internal sealed class ScriptedSource(string name, Action<IReadOnlyList<MnistFile>, string> fetch) : IMnistSource
{
    public List<string[]> Requests { get; } = [];

    public string Name => name;

    public void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress)
    {
        Requests.Add(files.Select(f => f.Name).ToArray());
        fetch(files, directory);
    }

    public static ScriptedSource Failing(string name, string reason) =>
        new(name, (_, _) => throw new InvalidOperationException(reason));
}
