using System.CommandLine;
using Mnist.Data;

namespace Mnist.Cli;

/// <summary>`mnist data`: fetches the data set if needed and shows where its files are and that their checksums hold.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = new CommonOptions.Data();
        var command = new Command("data", "Fetch the data set (MNIST, or --dataset fashion) if needed and verify its files");
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var options = data.Read(p);
            var folder = options.NoVerify ? MnistDataDirectory.Resolve(options.Directory, options.Known)
                : options.Fetcher().EnsureFiles(options.Directory, s => Console.Error.WriteLine(s));
            Console.WriteLine($"data set: {options.Known.Title}");
            Console.WriteLine($"data folder: {folder}");
            bool ok = true;
            foreach (var f in MnistFetcher.Verify(options.Known, folder))
            {
                string verdict = f.Problem ?? (!f.Exists ? "missing" : f.ChecksumOk ? "ok" : "MISMATCH");
                Console.WriteLine($"  {Path.GetFileName(f.Path),-29} {f.Bytes,10} bytes  sha256 {verdict}");
                ok &= f.ChecksumOk;
            }
            return ok ? 0 : 1;
        }));
        return command;
    }
}
