using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Mnist.Cli;

/// <summary>What is wrong with a command line, as the user should read it.</summary>
/// <param name="Message">One line naming the flag, value or verb at fault.</param>
/// <param name="Suggestions">Options or verbs close to a token that matched none.</param>
/// <param name="HelpFor">The verbs leading to a command that needs a sub-verb, whose help should be shown; null otherwise.</param>
public sealed record UsageError(string Message, IReadOnlyList<string> Suggestions, IReadOnlyList<string>? HelpFor);

/// <summary>Reads a <see cref="ParseResult"/>'s errors (System.CommandLine's own, and those of our option parsers and rules).</summary>
public static class UsageErrors
{
    /// <returns>Null when the command line is fine (or asks for help).</returns>
    public static UsageError? Find(ParseResult parsed)
    {
        if (parsed.Errors.Count == 0 || parsed.Action is not ParseErrorAction) return null;
        var command = parsed.CommandResult;
        bool needsVerb = command.Command.Subcommands.Count > 0 && command.Command.Action is null;
        var path = Path(command);
        // With a verb missing, System.CommandLine's "Required command was not provided" is said better below.
        string? first = parsed.Errors.FirstOrDefault(e => !needsVerb || e.SymbolResult != command)?.Message;
        string verbs = string.Join(", ", command.Command.Subcommands.Select(c => c.Name));
        string name = string.Join(' ', ["mnist", .. path]);
        string message = first ?? (parsed.UnmatchedTokens.Count > 0
            ? $"`{name}` has no verb '{parsed.UnmatchedTokens[0]}'; its verbs: {verbs}"
            : $"`{name}` needs a verb: {verbs}");
        return new UsageError(OneLine(message), Suggest(parsed.UnmatchedTokens, command.Command), needsVerb ? path : null);
    }

    private static List<string> Path(CommandResult command)
    {
        var names = new List<string>();
        for (var c = command; c.Parent is CommandResult parent; c = parent) names.Insert(0, c.Command.Name);
        return names;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Names within two edits, or a third of their length, of a token that matched nothing (`--devce` → `--device`).</summary>
    private static List<string> Suggest(IReadOnlyList<string> unmatched, Command command)
    {
        var names = command.Options.Select(o => o.Name).Concat(command.Subcommands.Select(c => c.Name)).ToList();
        return unmatched
            .SelectMany(token => names.Select(name => (name, distance: EditDistance(token, name)))
                .Where(c => c.distance <= Math.Max(2, c.name.Length / 3)).OrderBy(c => c.distance).Take(3))
            .Select(c => c.name).Distinct().ToList();
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
