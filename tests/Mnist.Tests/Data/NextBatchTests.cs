using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>DataSet.NextBatch must reproduce TensorFlow's mnist.py next_batch exactly.</summary>
public sealed class NextBatchTests
{
    /// <summary>The order of a fresh data set's first epoch and of its second, taken as whole-set batches.</summary>
    private static (int[] First, int[] Second) EpochOrders(int count, ulong seed)
    {
        var data = IndexedExamples.DataSet(count, seed);
        var first = IndexedExamples.Decode(data.NextBatch(count));
        var second = IndexedExamples.Decode(data.NextBatch(count));
        return (first, second);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(33)]
    [InlineData(99)]
    [InlineData(100)]
    public void Every_example_appears_exactly_once_per_epoch(int batchSize)
    {
        const int count = 100;
        var data = IndexedExamples.DataSet(count, seed: 42);
        var stream = new List<int>();
        while (stream.Count < 3 * count) stream.AddRange(IndexedExamples.Decode(data.NextBatch(batchSize)));

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = stream.Skip(epoch * count).Take(count).Order();
            Assert.Equal(Enumerable.Range(0, count), seen);
        }
    }

    [Fact]
    public void Epochs_are_shuffled_and_each_epoch_differently()
    {
        var (first, second) = EpochOrders(100, seed: 1);
        Assert.NotEqual(Enumerable.Range(0, 100), first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_batch_crossing_the_end_is_the_rest_of_the_old_epoch_then_the_start_of_the_new_one()
    {
        var (first, second) = EpochOrders(10, seed: 7);
        var data = IndexedExamples.DataSet(10, seed: 7);

        Assert.Equal(first[0..4], IndexedExamples.Decode(data.NextBatch(4)));
        Assert.Equal(first[4..8], IndexedExamples.Decode(data.NextBatch(4)));
        Assert.Equal(0, data.EpochsCompleted);

        var crossing = IndexedExamples.Decode(data.NextBatch(4));
        Assert.Equal(1, data.EpochsCompleted);
        Assert.Equal([.. first[8..10], .. second[0..2]], crossing);
        Assert.Equal(second[2..6], IndexedExamples.Decode(data.NextBatch(4)));
    }

    [Fact]
    public void A_batch_ending_exactly_at_the_end_leaves_the_epoch_open_until_the_next_call()
    {
        var (first, second) = EpochOrders(10, seed: 3);
        var data = IndexedExamples.DataSet(10, seed: 3);

        Assert.Equal(first[0..5], IndexedExamples.Decode(data.NextBatch(5)));
        Assert.Equal(first[5..10], IndexedExamples.Decode(data.NextBatch(5)));
        Assert.Equal(0, data.EpochsCompleted);

        Assert.Equal(second[0..5], IndexedExamples.Decode(data.NextBatch(5)));
        Assert.Equal(1, data.EpochsCompleted);
    }

    [Fact]
    public void Without_shuffle_batches_walk_the_file_order_and_wrap()
    {
        var data = IndexedExamples.DataSet(10);
        Assert.Equal([0, 1, 2, 3, 4, 5], IndexedExamples.Decode(data.NextBatch(6, shuffle: false)));
        Assert.Equal([6, 7, 8, 9, 0, 1], IndexedExamples.Decode(data.NextBatch(6, shuffle: false)));
        Assert.Equal(1, data.EpochsCompleted);
        Assert.Equal([2, 3, 4, 5, 6, 7], IndexedExamples.Decode(data.NextBatch(6, shuffle: false)));
    }

    [Fact]
    public void Same_seed_gives_the_same_order_and_a_different_seed_a_different_one()
    {
        static int[] Sequence(ulong seed)
        {
            var data = IndexedExamples.DataSet(1000, seed);
            return Enumerable.Range(0, 25).SelectMany(_ => IndexedExamples.Decode(data.NextBatch(64))).ToArray();
        }

        Assert.Equal(Sequence(5), Sequence(5));
        Assert.NotEqual(Sequence(5), Sequence(6));
    }

    [Fact]
    public void Labels_come_with_their_images_as_indices_and_one_hot()
    {
        var data = IndexedExamples.DataSet(50, seed: 9);
        var batch = data.NextBatch(20);
        var indices = IndexedExamples.Decode(batch);
        for (int row = 0; row < batch.Size; row++)
        {
            int label = indices[row] % 10;
            Assert.Equal(label, batch.Labels[row]);
            var oneHot = batch.OneHotLabels.AsSpan(row * 10, 10).ToArray();
            Assert.Equal(Enumerable.Range(0, 10).Select(c => c == label ? 1f : 0f), oneHot);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void Invalid_batch_sizes_are_rejected(int batchSize)
    {
        var data = IndexedExamples.DataSet(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(batchSize));
        Assert.Equal("batchSize", e.ParamName);
    }

    [Fact]
    public void The_batch_is_reused_and_steady_state_calls_do_not_allocate()
    {
        var data = IndexedExamples.DataSet(100, seed: 2);
        var batch = data.NextBatch(32);
        Assert.Same(batch, data.NextBatch(32));

        // Warm up across several epoch wraps first: the runtime's one-time work (tiering up, resolving call sites) may
        // allocate on this thread at a moment that depends on load, so a steady state is asked of one of three windows.
        for (int i = 0; i < 200; i++) data.NextBatch(32);
        var allocated = new List<long>();
        for (int attempt = 0; attempt < 3 && (allocated.Count == 0 || allocated[^1] != 0); attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) data.NextBatch(32);
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(allocated[^1] == 0, $"50 calls allocated {string.Join(", then ", allocated)} bytes");
    }
}
