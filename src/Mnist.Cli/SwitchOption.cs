using System.CommandLine;
using System.CommandLine.Parsing;

namespace Mnist.Cli;

/// <summary>
/// An on/off option that can override a recipe's default either way: <c>--augment</c> or <c>--augment true</c>
/// turns it on, <c>--augment false</c> off, and leaving it out keeps the recipe's (null). Any other value is one
/// line naming the flag.
/// </summary>
internal static class SwitchOption
{
    public static Option<bool?> Create(string name, string description) => new(name)
    {
        Description = description + " (true or false; the flag alone is true)",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = r => Parse(r, name),
    };

    private static bool? Parse(ArgumentResult r, string name)
    {
        if (r.Parent is OptionResult { Implicit: true }) return null;
        if (r.Tokens.Count == 0) return true;
        string text = r.Tokens[^1].Value;
        if (bool.TryParse(text, out bool value)) return value;
        r.AddError($"{name}: '{text}' is not true or false");
        return null;
    }
}
