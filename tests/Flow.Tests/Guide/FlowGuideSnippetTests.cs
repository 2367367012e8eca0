namespace Flow.Tests.Guide;

/// <summary>
/// Every ```csharp block of docs/flow.md is code that compiles: its lines (split at lines of "...") appear in
/// that order, trimmed, in a .cs file under src/ or tests/. A guide edited without its code fails here.
/// </summary>
public class FlowGuideSnippetTests
{
    [Fact]
    public void EverySnippetOfTheGuideIsCompiledCode()
    {
        string root = RepoRoot();
        var guide = File.ReadAllLines(Path.Combine(root, "docs", "flow.md"));
        var sources = new[] { "src", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => Normalise(File.ReadAllLines(p)))
            .ToArray();
        var pieces = Snippets(guide).ToList();
        Assert.True(pieces.Count >= 8, $"only {pieces.Count} snippet pieces found in docs/flow.md");
        var missing = pieces.Where(p => !sources.Any(s => s.Contains(Normalise(p)))).ToList();
        Assert.True(missing.Count == 0, "snippets of docs/flow.md found in no source file:\n" + string.Join("\n---\n", missing.Select(m => string.Join("\n", m))));
    }

    // The csharp blocks, each split into pieces at "..." lines.
    private static IEnumerable<string[]> Snippets(string[] lines)
    {
        List<string>? piece = null;
        foreach (var line in lines)
        {
            string t = line.Trim();
            if (piece is null) { if (t == "```csharp") piece = []; continue; }
            if (t == "```" || t == "...")
            {
                if (piece.Count > 0) yield return piece.ToArray();
                piece = t == "```" ? null : [];
                continue;
            }
            piece.Add(line);
        }
    }

    private static string Normalise(IEnumerable<string> lines) =>
        "\n" + string.Join("\n", lines.Select(l => l.Trim()).Where(l => l.Length > 0)) + "\n";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mnist.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Mnist.slnx above {AppContext.BaseDirectory}");
    }
}
