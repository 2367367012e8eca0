using Mnist.Data;

namespace Mnist.Reports;

/// <summary>
/// What a digit grid shows: the images (N×784 bytes), a title and a highlight flag per tile.
/// The factories pick the examples for <c>mnist show samples</c> and <c>mnist show predictions</c>.
/// </summary>
public sealed record DigitTiles(byte[] Images, IReadOnlyList<string> Titles, IReadOnlyList<bool> Highlights)
{
    public int Count => Titles.Count;

    /// <summary>The given examples titled with their labels' class names (default MNIST's digits).</summary>
    public static DigitTiles Samples(byte[] images, byte[] labels, IReadOnlyList<int> indices, IReadOnlyList<string>? classNames = null)
    {
        var names = classNames ?? KnownDataSets.Mnist.ClassNames;
        return Gather(images, indices, i => names[labels[i]], _ => false);
    }

    /// <summary>
    /// The given examples titled "Guess: g", or "Guess: g (t)" and highlighted where the guess g is
    /// not the true label t, as in the notebook's picture of test predictions.
    /// </summary>
    /// <param name="predictions">The predicted class of every example, indexed like <paramref name="labels"/>.</param>
    /// <param name="classNames">What to print for each class (default MNIST's digits).</param>
    public static DigitTiles Predictions(byte[] images, byte[] labels, IReadOnlyList<int> predictions, IReadOnlyList<int> indices,
        IReadOnlyList<string>? classNames = null)
    {
        if (predictions.Count != labels.Length)
            throw new ArgumentException($"{predictions.Count} predictions for {labels.Length} labels", nameof(predictions));
        var names = classNames ?? KnownDataSets.Mnist.ClassNames;
        return Gather(images, indices,
            i => predictions[i] == labels[i] ? $"Guess: {names[predictions[i]]}" : $"Guess: {names[predictions[i]]} ({names[labels[i]]})",
            i => predictions[i] != labels[i]);
    }

    /// <summary>
    /// Up to <paramref name="count"/> example indices: with a seed, a random pick without repeats (the
    /// notebook draws random test images); without one, the first in file order. With
    /// <paramref name="onlyMistakes"/>, only examples whose prediction is wrong are candidates.
    /// </summary>
    public static int[] Pick(byte[] labels, IReadOnlyList<int>? predictions, int count, bool onlyMistakes = false, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (onlyMistakes && predictions is null) throw new ArgumentException("mistakes need predictions", nameof(predictions));
        var candidates = Enumerable.Range(0, labels.Length).Where(i => !onlyMistakes || predictions![i] != labels[i]).ToArray();
        if (seed is int s) new Random(s).Shuffle(candidates);
        return candidates[..Math.Min(count, candidates.Length)];
    }

    private static DigitTiles Gather(byte[] images, IReadOnlyList<int> indices, Func<int, string> title, Func<int, bool> highlight)
    {
        const int pixels = MnistLayout.ImagePixels;
        var picked = new byte[indices.Count * pixels];
        for (int t = 0; t < indices.Count; t++) images.AsSpan(indices[t] * pixels, pixels).CopyTo(picked.AsSpan(t * pixels));
        return new DigitTiles(picked, indices.Select(title).ToArray(), indices.Select(highlight).ToArray());
    }
}
