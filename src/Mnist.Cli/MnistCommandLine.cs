using System.CommandLine;
using System.Runtime.InteropServices;

namespace Mnist.Cli;

/// <summary>
/// The `mnist` command: its verbs, and the one place that turns a command line that does not parse into
/// one <c>error:</c> line on stderr (suggestions may follow) and <see cref="ExitCodes.Usage"/>.
/// </summary>
public static class MnistCommandLine
{
    public static RootCommand Build() => new("Train, inspect and use the TensorFlow MNIST tutorials' digit classifiers, in C#.")
    {
        TrainCommand.Create(),
        DataCommand.Create(),
        BenchCommand.Create(),
        ShowCommand.Create(),
        EvalCommand.Create(),
        ExportCommand.Create(),
        PredictCommand.Create(),
        ServeCommand.Create(),
        ServeBenchCommand.Create(),
    };

    /// <summary>Response files (@file) are off: a value starting with @ is taken as typed, not read from a file.</summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) => root.Parse(args, Parsing);

    public static int Run(string[] args)
    {
        // SIGINT and SIGTERM would end the process on the spot; exiting instead runs the exit handlers that remove a
        // write's temporary file and a run folder still empty. Registered first, these run last (handlers run
        // newest first), so a handler that stops training gracefully and cancels the signal wins.
        using var interrupt = ExitOn(PosixSignal.SIGINT, 128 + 2);
        using var terminate = ExitOn(PosixSignal.SIGTERM, 128 + 15);
        var root = Build();
        var parsed = Parse(root, args);
        if (UsageErrors.Find(parsed) is not { } problem) return parsed.Invoke();
        // A verb missing (`mnist`, `mnist show`): the help says which there are.
        if (problem.HelpFor is { } path) Parse(root, [.. path, "--help"]).Invoke();
        Console.Error.WriteLine($"error: {problem.Message}");
        foreach (var suggestion in problem.Suggestions) Console.Error.WriteLine($"  did you mean {suggestion}?");
        return ExitCodes.Usage;
    }

    private static PosixSignalRegistration ExitOn(PosixSignal signal, int exitCode) => PosixSignalRegistration.Create(signal, context =>
    {
        if (context.Cancel) return;
        context.Cancel = true;
        Environment.Exit(exitCode);
    });
}
