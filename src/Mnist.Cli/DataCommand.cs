using System.CommandLine;
using Mnist.Data;

namespace Mnist.Cli;

/// <summary>`mnist data`: fetches MNIST if needed and shows where the files are and that their checksums hold.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = new CommonOptions.Data();
        var command = new Command("data", "Fetch MNIST if needed and verify the files");
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var options = data.Read(p);
            var folder = options.NoVerify ? MnistDataDirectory.Resolve(options.Directory)
                : options.Fetcher().EnsureFiles(options.Directory, s => Console.Error.WriteLine(s));
            Console.WriteLine($"data folder: {folder}");
            bool ok = true;
            foreach (var f in MnistFetcher.Verify(folder))
            {
                // --no-verify promises nothing about the bytes, so it claims nothing either.
                string check = options.NoVerify ? "not verified" : f.ChecksumOk ? "sha256 ok" : "sha256 MISMATCH";
                Console.WriteLine($"  {f.Name,-26} {f.Bytes,10} bytes  {check}");
                ok &= options.NoVerify || f.ChecksumOk;
            }
            return ok ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
