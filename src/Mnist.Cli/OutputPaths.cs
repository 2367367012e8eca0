using Mnist.IO;

namespace Mnist.Cli;

/// <summary>Checks an output file named by a flag before the long work that would end in writing it.</summary>
internal static class OutputPaths
{
    /// <exception cref="IOException">The file cannot be written; the message names the flag and the path.</exception>
    public static void CheckWritable(string flag, string path)
    {
        try
        {
            AtomicFile.CheckWritable(path);
        }
        catch (IOException e)
        {
            throw new IOException($"{flag}: {e.Message}", e);
        }
    }
}
