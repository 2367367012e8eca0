namespace Mnist.Data;

/// <summary>
/// One split of MNIST (train, validation or test). Images stay as raw bytes (a quarter of the
/// memory of floats); scaled floats are produced only for the examples being used, via the gather
/// helpers or <see cref="NextBatch"/>, which reproduces TensorFlow's <c>DataSet.next_batch</c>.
/// </summary>
public sealed class DataSet
{
    private const int Pixels = MnistLayout.ImagePixels;
    private const int Classes = MnistLayout.NumClasses;

    private readonly float _pixelOffset;
    private readonly SplitMix64 _random;

    /// <summary>Example indices in the order <see cref="NextBatch"/> walks them; reshuffled per epoch.</summary>
    private readonly int[] _order;

    private int _indexInEpoch;
    private Batch? _batch;

    /// <param name="images">N*784 raw pixels; kept, not copied.</param>
    /// <param name="labels">N class indices 0..9; kept, not copied.</param>
    /// <param name="seed">Seeds the shuffles: the same seed gives the same batch sequence.</param>
    /// <param name="classNames">The ten classes' names (default MNIST's digits "0".."9").</param>
    public DataSet(byte[] images, byte[] labels, PixelScaling scaling = PixelScaling.ZeroToOne, ulong seed = 0,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.LongLength != (long)labels.Length * Pixels)
        {
            throw new ArgumentException(
                $"images has {images.Length} bytes but {labels.Length} labels need {(long)labels.Length * Pixels}", nameof(images));
        }
        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(Classes - 1));
        if (bad >= 0)
        {
            throw new ArgumentException($"label {bad} is {labels[bad]}, expected 0..{Classes - 1}", nameof(labels));
        }
        ClassNames = classNames ?? KnownDataSets.Mnist.ClassNames;
        if (ClassNames.Count != Classes) throw new ArgumentException($"{ClassNames.Count} class names, expected {Classes}", nameof(classNames));
        Images = images;
        Labels = labels;
        Scaling = scaling;
        _pixelOffset = PixelLookup.Offset(scaling);
        _random = new SplitMix64(seed);
        _order = new int[labels.Length];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
    }

    public int NumExamples => Labels.Length;

    /// <summary>Raw pixels in file order, [NumExamples * 784].</summary>
    public byte[] Images { get; }

    /// <summary>Class indices in file order, [NumExamples].</summary>
    public byte[] Labels { get; }

    public PixelScaling Scaling { get; }

    /// <summary>What each class index means ("7", "Sneaker"): pictures, logs and reports print these.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Epochs finished by <see cref="NextBatch"/>; counted when a batch crosses the end of the set.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>
    /// Where <see cref="NextBatch(Batch, bool)"/> stands: the shuffle generator's state, the current epoch's
    /// order, the position in it and the epochs done. A checkpoint saves it; restoring it makes the set
    /// deal exactly the batches it would have dealt next.
    /// </summary>
    public sealed record Position(ulong RandomState, int[] Order, int IndexInEpoch, int EpochsCompleted);

    public Position SavePosition() => new(_random.State, (int[])_order.Clone(), _indexInEpoch, EpochsCompleted);

    /// <exception cref="ArgumentException">The position is not one of this set (another size, not a permutation, out of range).</exception>
    public void RestorePosition(Position position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Order.Length != NumExamples)
            throw new ArgumentException($"the saved order has {position.Order.Length} examples, this data set {NumExamples}", nameof(position));
        var seen = new bool[NumExamples];
        foreach (int i in position.Order)
        {
            if ((uint)i >= (uint)NumExamples || seen[i]) throw new ArgumentException("the saved order is not a permutation of the examples", nameof(position));
            seen[i] = true;
        }
        if (position.IndexInEpoch < 0 || position.IndexInEpoch > NumExamples || position.EpochsCompleted < 0)
            throw new ArgumentException($"saved position {position.IndexInEpoch} (epoch {position.EpochsCompleted}) is outside this data set of {NumExamples}", nameof(position));
        _random.State = position.RandomState;
        position.Order.CopyTo(_order, 0);
        _indexInEpoch = position.IndexInEpoch;
        EpochsCompleted = position.EpochsCompleted;
    }

    /// <summary>Writes the scaled images of examples [start, start+count) (file order) into destination[..count*784].</summary>
    public void GatherImages(int start, int count, Span<float> destination)
    {
        CheckRange(start, count, destination.Length, Pixels);
        PixelLookup.Scale(Images.AsSpan(start * Pixels, count * Pixels), destination, _pixelOffset);
    }

    /// <summary>Writes one-hot labels of examples [start, start+count) into destination[..count*10].</summary>
    public void GatherOneHotLabels(int start, int count, Span<float> destination)
    {
        CheckRange(start, count, destination.Length, Classes);
        destination[..(count * Classes)].Clear();
        for (int i = 0; i < count; i++) destination[i * Classes + Labels[start + i]] = 1f;
    }

    /// <summary>Writes class indices of examples [start, start+count) into destination[..count].</summary>
    public void GatherLabels(int start, int count, Span<int> destination)
    {
        CheckRange(start, count, destination.Length, 1);
        for (int i = 0; i < count; i++) destination[i] = Labels[start + i];
    }

    /// <summary>
    /// The next <paramref name="batchSize"/> examples, with TensorFlow's <c>next_batch</c> semantics:
    /// the first call (with shuffle) permutes the whole set; a batch that would run past the end takes
    /// the rest of the epoch, reshuffles (with shuffle), and fills up from the start of the new order.
    /// A batch ending exactly at the end leaves the epoch open; the next call closes it.
    /// The returned batch is reused: valid until the next call.
    /// </summary>
    public Batch NextBatch(int batchSize, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, NumExamples);
        if (_batch?.Size != batchSize) _batch = new Batch(batchSize);
        NextBatch(_batch, shuffle);
        return _batch;
    }

    /// <summary>The same as <see cref="NextBatch(int, bool)"/>, filling the caller's batch (its size is the batch size).</summary>
    public void NextBatch(Batch destination, bool shuffle = true)
    {
        int batchSize = destination.Size;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (batchSize > NumExamples)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), batchSize,
                $"batch size {batchSize} exceeds the {NumExamples} examples in this data set");
        }

        int start = _indexInEpoch;
        if (EpochsCompleted == 0 && start == 0 && shuffle) _random.Shuffle(_order);

        if (start + batchSize > NumExamples)
        {
            EpochsCompleted++;
            int rest = NumExamples - start;
            // The rest of the old epoch is copied out before the order is reshuffled under it.
            FillBatch(destination, 0, start, rest);
            if (shuffle) _random.Shuffle(_order);
            _indexInEpoch = batchSize - rest;
            FillBatch(destination, rest, 0, _indexInEpoch);
        }
        else
        {
            FillBatch(destination, 0, start, batchSize);
            _indexInEpoch += batchSize;
        }
    }

    /// <summary>Writes the examples at _order[orderStart .. orderStart+count) into batch rows [row, row+count).</summary>
    private void FillBatch(Batch batch, int row, int orderStart, int count)
    {
        for (int i = 0; i < count; i++, row++)
        {
            int example = _order[orderStart + i];
            GatherImages(example, 1, batch.Images.AsSpan(row * Pixels, Pixels));
            GatherOneHotLabels(example, 1, batch.OneHotLabels.AsSpan(row * Classes, Classes));
            batch.Labels[row] = Labels[example];
        }
    }

    private void CheckRange(int start, int count, int destinationLength, int elementsPerExample)
    {
        if (start < 0 || count < 0 || start > NumExamples - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"examples [{start}, {start}+{count}) are outside this data set of {NumExamples}");
        }
        if (destinationLength < (long)count * elementsPerExample)
        {
            throw new ArgumentException(
                $"destination holds {destinationLength} values but {count} examples need {(long)count * elementsPerExample}");
        }
    }
}
