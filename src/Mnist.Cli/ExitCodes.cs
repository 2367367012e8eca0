namespace Mnist.Cli;

/// <summary>The exit codes README documents.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and failed: a bad or missing file, a checksum, settings the data cannot serve.</summary>
    public const int Failure = 1;
    /// <summary>The command line itself is wrong: an unknown verb or option, a bad value, conflicting options.</summary>
    public const int Usage = 2;
}
