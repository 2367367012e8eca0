using System.Net;
using Mnist.Data;

namespace Mnist.Web;

/// <summary>What `mnist serve` was asked for.</summary>
/// <param name="RunsFolder">Run folders to list (models, curves, matrices); null for none.</param>
/// <param name="ModelFile">One more model to serve (the default one when given).</param>
/// <param name="Host">Address to bind: loopback unless a person asks for more.</param>
/// <param name="Port">TCP port; 0 picks a free one (the tests do).</param>
/// <param name="TestImages">The test set of a data set by its name (<see cref="KnownDataSets"/>), for the runs and
/// projector pages, which show each model the test set it was trained for.</param>
public sealed record ServeOptions(string? RunsFolder, string? ModelFile, IPAddress Host, int Port, Func<string, DataSet> TestImages)
{
    /// <summary>The largest request body accepted (bigger ones get 413).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Kestrel's own limit: bodies up to this are read to the end before a 413, bigger ones are cut off.</summary>
    public const int MaxDrainBytes = 16 << 20;

    public IDigitInput DigitInput { get; init; } = new MnistPictureInput();
}
