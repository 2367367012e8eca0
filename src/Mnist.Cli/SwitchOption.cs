using System.CommandLine;
using System.CommandLine.Parsing;

namespace Mnist.Cli;

/// <summary>
/// An on/off option that can override a recipe's default either way: <c>--augment</c> or <c>--augment true</c>
/// turns it on, <c>--augment false</c> off, and leaving it out keeps the recipe's (<see cref="Read"/> gives null).
/// Any other value is one line naming the flag, found while parsing. The option carries its value as text because
/// System.CommandLine's own bool options leave a value that is not a bool unconsumed, and then the error names the
/// stray word, not the flag.
/// </summary>
internal sealed class SwitchOption
{
    public SwitchOption(string name, string description)
    {
        Option = new Option<string?>(name)
        {
            Description = description + " (true or false; the flag alone is true)",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => Parse(r, name),
        };
    }

    public Option<string?> Option { get; }

    public bool? Read(ParseResult p) => p.GetValue(Option) is string text ? bool.Parse(text) : null;

    private static string? Parse(ArgumentResult r, string name)
    {
        if (r.Parent is OptionResult { Implicit: true }) return null;
        if (r.Tokens.Count == 0) return bool.TrueString;
        string text = r.Tokens[^1].Value;
        if (bool.TryParse(text, out bool value)) return value.ToString();
        r.AddError($"{name}: '{text}' is not true or false");
        return null;
    }
}
