using Mnist.Data;

namespace Mnist.Tests.Data;

public sealed class MnistDataDirectoryTests
{
    [Fact]
    public void An_explicit_directory_wins_over_the_environment_which_wins_over_the_default()
    {
        var saved = Environment.GetEnvironmentVariable(MnistDataDirectory.EnvironmentVariable);
        try
        {
            var fromEnvironment = Path.Combine(Path.GetTempPath(), "from-env");
            Environment.SetEnvironmentVariable(MnistDataDirectory.EnvironmentVariable, fromEnvironment);
            Assert.Equal(Path.GetFullPath("explicit"), MnistDataDirectory.Resolve("explicit"));
            Assert.Equal(fromEnvironment, MnistDataDirectory.Resolve());

            Environment.SetEnvironmentVariable(MnistDataDirectory.EnvironmentVariable, null);
            Assert.Equal(MnistDataDirectory.DefaultCache(), MnistDataDirectory.Resolve());
            Assert.Equal("mnist", Path.GetFileName(MnistDataDirectory.DefaultCache()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(MnistDataDirectory.EnvironmentVariable, saved);
        }
    }
}
