using System.CommandLine;
using System.CommandLine.Parsing;

namespace Mnist.Cli;

/// <summary>
/// How options of one command relate, declared next to the options and checked while parsing: options
/// that exclude each other, options that need another, options that apply to some models only. A rule
/// broken is a usage error naming the flags, never an option silently ignored.
/// </summary>
internal static class OptionRules
{
    /// <summary>Whether the user typed the option (a default value does not count).</summary>
    public static bool IsGiven(this CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    public static Command Exclusive(this Command command, Option a, Option b)
    {
        command.Validators.Add(r =>
        {
            if (r.IsGiven(a) && r.IsGiven(b)) r.AddError($"{a.Name} and {b.Name} cannot be used together");
        });
        return command;
    }

    public static Command Requires(this Command command, Option option, Option needed)
    {
        command.Validators.Add(r =>
        {
            if (r.IsGiven(option) && !r.IsGiven(needed)) r.AddError($"{option.Name} needs {needed.Name}");
        });
        return command;
    }

    /// <summary><paramref name="option"/> applies only when <paramref name="on"/> has one of <paramref name="values"/> (given or by default).
    /// With <paramref name="unless"/> given the rule stands aside: <paramref name="on"/>'s default does not hold then
    /// (a resumed run's model is the run's), and whatever checks that case names the option itself.</summary>
    public static Command OnlyWhen(this Command command, Option option, Option<string> on, string[] values, Option? unless = null)
    {
        command.Validators.Add(r =>
        {
            if (!r.IsGiven(option) || (unless is not null && r.IsGiven(unless))) return;
            // The typed token, not a converted value (its conversion may have failed); defaults are not filled in
            // yet while a command's validators run.
            string? value = r.GetResult(on) is { Implicit: false } given ? given.Tokens.LastOrDefault()?.Value : on.GetDefaultValue() as string;
            if (value is not null && !values.Contains(value, StringComparer.OrdinalIgnoreCase))
                r.AddError($"{option.Name} applies only to {on.Name} {string.Join(" or ", values)}, not {value}");
        });
        return command;
    }
}
