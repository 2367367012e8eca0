using System.Runtime.InteropServices;

namespace Mnist.IO;

/// <summary>
/// Creates a folder only if nothing is there yet, in one step: two processes asking for the same name
/// cannot both get it. (Directory.CreateDirectory succeeds on an existing folder, so it cannot tell.)
/// </summary>
public static partial class NewDirectory
{
    private const int EEXIST = 17; // the same on Linux and macOS

    /// <returns>True if this call created the folder; false if something of that name already exists.</returns>
    /// <exception cref="IOException">The folder cannot be made (no such parent, no permission...); the message names it.</exception>
    public static bool TryCreate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // Not atomic there; the runs this guards against happen on the Linux machines we build for.
            if (Directory.Exists(path) || File.Exists(path)) return false;
            Directory.CreateDirectory(path);
            return true;
        }
        if (Mkdir(path, 0b111_111_111) == 0) return true; // rwxrwxrwx, less the umask, as mkdir(1) does
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"cannot create folder {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkdir(string path, uint mode);
}
