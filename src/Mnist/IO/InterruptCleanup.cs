using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Mnist.IO;

/// <summary>
/// Undo actions (delete a temporary file or folder, kill a child process) that must also run when the process
/// is ended by SIGINT, SIGTERM, SIGHUP or SIGQUIT, where no finally block runs. Each registration lasts while
/// its owner works (a using block); the signal handlers run every action still registered, newest first, then let the
/// signal end the process as it would have. Signals are process-wide, so this registry is too.
/// </summary>
public static class InterruptCleanup
{
    private static readonly ConcurrentDictionary<long, Action> Actions = new();
    private static long _next;
    private static readonly Lazy<PosixSignalRegistration[]> Handlers = new(Install);

    /// <summary>Runs <paramref name="undo"/> if a signal ends the process before the returned handle is disposed.</summary>
    public static IDisposable Register(Action undo)
    {
        _ = Handlers.Value;
        long id = Interlocked.Increment(ref _next);
        Actions[id] = undo;
        return new Registration(id);
    }

    /// <summary>Deletes <paramref name="path"/> (a file, or a folder with its contents) if a signal ends the process.</summary>
    public static IDisposable DeleteOnSignal(string path) => Register(() =>
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    });

    private static PosixSignalRegistration[] Install()
    {
        if (OperatingSystem.IsWindows()) return [];
        return [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(s => PosixSignalRegistration.Create(s, _ => RunAll()))];
    }

    private static void RunAll()
    {
        // Newest first, as finally blocks unwind: a child process is killed before its folder is deleted.
        foreach (var id in Actions.Keys.OrderDescending())
        {
            if (!Actions.TryRemove(id, out var undo)) continue;
            try
            {
                undo();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Best effort while the process goes down: the next run's sweep removes what is left.
            }
        }
    }

    private sealed class Registration(long id) : IDisposable
    {
        public void Dispose() => Actions.TryRemove(id, out _);
    }
}
