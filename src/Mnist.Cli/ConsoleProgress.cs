using Spectre.Console;

namespace Mnist.Cli;

/// <summary>
/// Where a long job's output goes. On a terminal, a live progress bar (or spinner) with the job's
/// lines written above it; redirected (a file, a pipe, the tests), the plain lines only, exactly as
/// they would print without Spectre, so scripts and logs see no escape codes.
/// </summary>
/// <param name="Log">A line of the job's own output (the tutorial's log lines): stdout.</param>
/// <param name="Note">A side remark (the data fetcher's progress): stderr when plain.</param>
/// <param name="Step">Steps done and the total; null when there is no bar to move.</param>
internal sealed record ConsoleProgress(Action<string> Log, Action<string> Note, Action<int, int>? Step)
{
    private static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static ConsoleProgress Plain => new(Console.WriteLine, s => Console.Error.WriteLine(s), null);

    /// <summary>Runs <paramref name="work"/> under a progress bar titled <paramref name="activity"/> once steps are reported.</summary>
    public static T Bar<T>(string activity, Func<ConsoleProgress, T> work)
    {
        if (!Interactive) return work(Plain);
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                // Indeterminate while the data loads and the graph is built: the total is known at the first step.
                var task = context.AddTask("loading MNIST", maxValue: 1);
                task.IsIndeterminate = true;
                return work(new ConsoleProgress(Above, Grey, (done, total) =>
                {
                    if (task.IsIndeterminate) (task.IsIndeterminate, task.MaxValue, task.Description) = (false, total, activity);
                    task.Value = done;
                    if (done == total) task.Description = "evaluating, drawing";
                }));
            });
    }

    /// <summary>Runs <paramref name="work"/> under a spinner saying <paramref name="activity"/>; it gets the note writer.</summary>
    public static T Spinner<T>(string activity, Func<Action<string>, T> work) => Interactive
        ? AnsiConsole.Status().Start(activity, _ => work(Grey))
        : work(Plain.Note);

    // Written through Spectre, so they land above the live bar instead of tearing it.
    private static void Above(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    private static void Grey(string line) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
}
