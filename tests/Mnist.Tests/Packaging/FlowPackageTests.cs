using System.Diagnostics;
using System.Reflection;
using Mnist.Data;
using Mnist.Tests.Data;

namespace Mnist.Tests.Packaging;

/// <summary>
/// Flow as a NuGet package works outside this solution: pack it, then build and run a fresh project
/// (tests/PackageConsumer, copied to a temporary folder) that knows Flow only through the .nupkg.
/// </summary>
public class FlowPackageTests
{
    [Fact]
    public void PackedFlowTrainsTheSoftmaxTutorialInAFreshProject()
    {
        var repo = RepositoryPaths.Root();
        var dataDirectory = new MnistFetcher().EnsureFiles();
        using var temp = new TempDirectory();
        var artifacts = temp.File("artifacts");
        Dotnet(repo, "pack", Path.Combine(repo, "src", "Flow", "Flow.csproj"), "-c", Configuration, "--no-build", "-o", artifacts);
        var version = FlowVersion();
        Assert.True(File.Exists(Path.Combine(artifacts, $"Flow.{version}.nupkg")), $"Flow.{version}.nupkg was not packed");

        // A consumer outside the repository: no Directory.Build.props, and a private package folder so that an
        // older Flow of the same version in the user's cache cannot stand in. Flow comes from the packed source
        // alone; its one dependency (Google.Protobuf) from the user's package cache, read as a local feed.
        var consumer = temp.File("consumer");
        Directory.CreateDirectory(consumer);
        foreach (var file in new[] { "Program.cs", "PackageConsumer.csproj" })
            File.Copy(Path.Combine(repo, "tests", "PackageConsumer", file), Path.Combine(consumer, file));
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{temp.File("packages")}" /></config>
              <packageSources><clear /><add key="artifacts" value="{artifacts}" /><add key="cache" value="{UserPackageCache()}" /></packageSources>
              <packageSourceMapping>
                <packageSource key="artifacts"><package pattern="Flow" /></packageSource>
                <packageSource key="cache"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        var output = Dotnet(consumer, "run", "-c", "Release", $"-p:FlowVersion={version}", "--", dataDirectory);

        var line = output.Split('\n').Single(l => l.StartsWith("test accuracy: ", StringComparison.Ordinal));
        var accuracy = double.Parse(line["test accuracy: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.9, $"the packed Flow trained softmax to {accuracy}, below 0.9");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The package version is the assembly's informational version without its "+commit" suffix.</summary>
    private static string FlowVersion()
    {
        var informational = typeof(Flow.Graph).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        return informational.Split('+')[0];
    }

    /// <summary>NuGet's global packages folder, where this solution's own restore put Flow's dependencies.</summary>
    private static string UserPackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"dotnet {string.Join(' ', args)} ran over 5 minutes"); }
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
