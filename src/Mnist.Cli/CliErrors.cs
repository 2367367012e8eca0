using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>
/// Turns the errors a user can cause (bad data or model files, bad settings, bad feeds, unwritable
/// outputs) into one line on stderr and <see cref="ExitCodes.Failure"/>; anything else is a bug and keeps
/// its stack trace.
/// </summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is MnistDataException or ArgumentException or ShapeException or FeedException
                                      or IOException or UnauthorizedAccessException or InvalidDataException
                                      or ModelFileException or SettingsException or TrainingDivergedException
                                      or Flow.Export.OnnxExportException)
        {
            Console.Error.WriteLine($"error: {Describe(e)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The message as one line for a user: without the " (Parameter 'x')" and "Actual value was" parts that
    /// .NET appends to argument exceptions, which name our code's parameters, not anything the user typed.
    /// </summary>
    public static string Describe(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            message = message.Split('\n')[0].TrimEnd('\r');
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }
}
