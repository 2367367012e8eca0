using Mono.Unix;

namespace Mnist.IO;

/// <summary>
/// Says whether a path is a regular file (after following symbolic links) before anything opens it: opening a
/// FIFO blocks until someone writes to it, and reading /dev/zero never ends, so both must be refused by name.
/// </summary>
public static class RegularFile
{
    /// <summary>Null when <paramref name="path"/> is a regular file; else what it is instead ("does not exist",
    /// "is a directory", "is a FIFO, not a regular file").</summary>
    public static string? Problem(string path)
    {
        if (Directory.Exists(path)) return "is a directory, not a file";
        if (!File.Exists(path)) return "does not exist";
        if (OperatingSystem.IsWindows()) return null;
        FileTypes type;
        try
        {
            type = new UnixFileInfo(path).FileType; // stat(2): follows links, so a link to /dev/zero is a device
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"cannot be examined: {e.Message}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            return null; // no native helper for this platform: the file is opened as before, unchecked
        }
        return type switch
        {
            FileTypes.RegularFile => null,
            FileTypes.Fifo => "is a FIFO (named pipe), not a regular file",
            FileTypes.CharacterDevice or FileTypes.BlockDevice => "is a device, not a regular file",
            FileTypes.Socket => "is a socket, not a regular file",
            _ => $"is a {type}, not a regular file",
        };
    }
}
