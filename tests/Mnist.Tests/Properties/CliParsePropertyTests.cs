using System.CommandLine;
using CsCheck;
using Mnist.Cli;

namespace Mnist.Tests.Properties;

/// <summary>
/// Random command lines through the real parser (nothing is run): each either parses, with every value
/// readable, or is one usage error line that names a flag, value or verb the user typed or must type.
/// </summary>
public class CliParsePropertyTests
{
    private static readonly RootCommand Root = MnistCommandLine.Build();

    private static IEnumerable<Command> Commands(Command c) => c.Subcommands.SelectMany(Commands).Prepend(c);

    /// <summary>The words the parser knows (taken from the command tree, so new options are covered too) and values that hurt.</summary>
    private static readonly string[] Words = Commands(Root).SelectMany(c => c.Options.Select(o => o.Name).Prepend(c.Name)).Distinct()
        .Concat(["abc", "-1", "0", "1", "7", "2147483648", "99999999999", "1e-9", "1e400", "Infinity", "-Infinity", "NaN", "-0", "0.5",
            "", " ", "--", "-", "softmax", "lenet", "resnet", "/dev/zero", "--no-such-flag", "@file", "\u00e9\u0000"])
        .ToArray();

    private static readonly Gen<string[]> CommandLines = Gen.OneOf(Gen.OneOf(Words), Gen.String[0, 12]).Array[0, 8];

    [Fact]
    public void EveryCommandLineParsesOrNamesItsFault() => CommandLines.Sample(args =>
    {
        var parsed = MnistCommandLine.Parse(Root, args);
        var problem = UsageErrors.Find(parsed);
        if (problem is null && parsed.Action is { } action && action == parsed.CommandResult.Command.Action)
        {
            // Parsed: every option's value converts (no validator or action can meet a failed conversion).
            foreach (var option in parsed.CommandResult.Command.Options)
                _ = parsed.GetValue<object?>(option.Name);
            return;
        }
        if (problem is null) return;   // --help or --version, which System.CommandLine lets win over errors
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        Assert.DoesNotContain('\n', problem.Message);
        var command = parsed.CommandResult.Command;
        var named = args.Where(a => a.Trim().Length > 0).Concat(args.Select(a => $"'{a}'")).Concat(command.Options.Select(o => o.Name))
            .Concat(command.Subcommands.Select(c => c.Name)).Append(command.Name);
        // System.CommandLine splits `-x=v` and `-x:v` at the separator and quotes the part it could not match, so a quoted
        // fragment of one of the user's words counts as naming it.
        var quoted = System.Text.RegularExpressions.Regex.Matches(problem.Message, "'([^']+)'").Select(m => m.Groups[1].Value);
        Assert.True(named.Any(n => problem.Message.Contains(n, StringComparison.Ordinal)) || quoted.Any(q => args.Any(a => a.Contains(q, StringComparison.Ordinal))),
            $"'{problem.Message}' names nothing the user typed");
    }, iter: 3000, print: a => string.Join(" ", a.Select(x => $"'{x}'")));

    [Theory]
    [InlineData("--steps", "abc")]
    [InlineData("--batch-size", "70000000000")]
    [InlineData("--learning-rate", "NaN")]
    [InlineData("--epochs", "-Infinity")]
    public void ABadValueNamesItsFlag(string flag, string value)
    {
        var problem = UsageErrors.Find(MnistCommandLine.Parse(Root, ["train", flag, value]));
        Assert.NotNull(problem);
        Assert.StartsWith($"{flag}: ", problem.Message);
        Assert.Contains(value, problem.Message);
    }

    [Fact]
    public void AGoodCommandLineHasNoProblem() =>
        Assert.Null(UsageErrors.Find(MnistCommandLine.Parse(Root, ["train", "--model", "lenet", "--epochs", "0.5", "--batch-size", "64", "--seed", "-3"])));
}
