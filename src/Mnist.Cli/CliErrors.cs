using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>
/// Turns the errors a user can cause (bad data or model files, bad options, bad feeds) into one line on stderr
/// and exit code 1; anything else is a bug and keeps its stack trace.
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
                                      or ModelFileException or TrainingDivergedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
