using Flow.Backends.Cpu;

namespace Flow.Tests.Cpu;

public unsafe class GemmTests
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 7, 13, 16, 17, 31, 33, 64, 100, 129];

    public static TheoryData<string, bool, bool, int> Configurations()
    {
        var data = new TheoryData<string, bool, bool, int>();
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmIsaInfo.IsSupported))
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (int threads in new[] { 0, 2 })
                        data.Add(isa.ToString(), transA, transB, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesReference_OnRandomShapes(string isa, bool transA, bool transB, int threads)
    {
        using var pool = threads > 0 ? new WorkerPool(threads) : null;
        var random = new Random(HashCode.Combine(isa, transA, transB, threads) & 0xffff);
        for (int trial = 0; trial < 40; trial++)
        {
            var problem = new Problem(random, transA, transB,
                Sizes[random.Next(Sizes.Length)], Sizes[random.Next(Sizes.Length)], Sizes[random.Next(Sizes.Length)],
                padding: random.Next(2) * random.Next(1, 5), accumulate: random.Next(2) == 1);
            problem.AssertFastMatchesReference(Enum.Parse<GemmIsa>(isa), pool);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesReference_AcrossCacheBlocks(string isa, bool transA, bool transB, int threads)
    {
        // k > KC (256) and m > MC (336) cross panel boundaries; n > NC (4096) crosses B panels.
        using var pool = threads > 0 ? new WorkerPool(threads) : null;
        var random = new Random(7);
        foreach (var (m, n, k) in new[] { (400, 40, 600), (3, 4200, 20), (50, 300, 530) })
            new Problem(random, transA, transB, m, n, k, padding: 3, accumulate: m == 3)
                .AssertFastMatchesReference(Enum.Parse<GemmIsa>(isa), pool);
    }

    public static TheoryData<string> Isas()
    {
        var data = new TheoryData<string>();
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmIsaInfo.IsSupported)) data.Add(isa.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void RowStreamIsBitIdenticalToThePackedPath(string isa)
    {
        // The few-row path must never change a result: the same FMA chain per KC panel as the packed micro-kernels.
        var random = new Random(11);
        int[] widths = [.. Sizes, 511, 512, 513, 1024, 4200];
        int[] depths = [.. Sizes, 255, 256, 257, 530];
        for (int trial = 0; trial < 60; trial++)
        {
            int m = random.Next(1, GemmRowStream.MaxRows + 1);
            new Problem(random, transA: random.Next(2) == 1, transB: false, m, widths[random.Next(widths.Length)], depths[random.Next(depths.Length)],
                padding: random.Next(2) * random.Next(1, 5), accumulate: random.Next(2) == 1).AssertRowStreamMatchesPacked(Enum.Parse<GemmIsa>(isa));
        }
    }

    [Theory, MemberData(nameof(Isas))]
    public void RowStreamSplitOverThePoolIsBitIdenticalToThePackedPath(string isa)
    {
        // Two threads split the depth into ranges of KC panels and the caller adds the panels' sums in order.
        // Every shape here is over the pool's 1M multiply-add threshold and deeper than one panel.
        using var pool = new WorkerPool(2);
        var random = new Random(12);
        int[] widths = [10, 64, 1024, 1031];
        for (int trial = 0; trial < 12; trial++)
        {
            int m = random.Next(1, GemmRowStream.MaxRows + 1), n = widths[random.Next(widths.Length)];
            int k = Math.Max(2 * GemmBlocked.KC + random.Next(GemmBlocked.KC), 1_000_000 / (m * n) + random.Next(300));
            new Problem(random, transA: random.Next(2) == 1, transB: false, m, n, k, padding: random.Next(2) * random.Next(1, 5),
                accumulate: random.Next(2) == 1).AssertRowStreamMatchesPacked(Enum.Parse<GemmIsa>(isa), pool);
        }
    }

    [Theory, MemberData(nameof(Isas))]
    public void BReadInPlaceIsBitIdenticalToPackingIt(string isa)
    {
        // One block of A's rows (m ≤ 336) reads B's whole 16-column strips where they lie and packs only a narrower last
        // one; transposed B is always packed. Widths past NC (4096) and depths past KC (256) cross panels.
        var random = new Random(13);
        int[] rows = [1, 5, 13, 14, 15, 50, 100, 335, 336, 337, 400];
        int[] widths = [.. Sizes, 1024, 4111];
        int[] depths = [.. Sizes, 255, 256, 257, 530];
        for (int trial = 0; trial < 60; trial++)
            new Problem(random, transA: random.Next(2) == 1, transB: random.Next(4) == 0, rows[random.Next(rows.Length)],
                widths[random.Next(widths.Length)], depths[random.Next(depths.Length)], padding: random.Next(2) * random.Next(1, 5),
                accumulate: random.Next(2) == 1).AssertInPlaceBMatchesPacked(Enum.Parse<GemmIsa>(isa));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyDepth_ZeroesOrKeepsC(bool accumulate)
    {
        var problem = new Problem(new Random(1), false, false, 5, 7, 0, padding: 2, accumulate);
        problem.AssertFastMatchesReference(GemmIsaInfo.Best, null);
    }

    [Fact]
    public void DeterministicAcrossRunsAndThreadCounts()
    {
        using var pool = new WorkerPool(2);
        var random = new Random(3);
        foreach (var (transA, transB, m, n, k) in new[] { (false, false, 300, 200, 500), (true, false, 25, 32, 3000), (false, true, 50, 1000, 300) })
        {
            var problem = new Problem(random, transA, transB, m, n, k, padding: 0, accumulate: false);
            float[] serial = problem.RunFast(GemmIsaInfo.Best, null);
            float[] parallelFirst = problem.RunFast(GemmIsaInfo.Best, pool);
            float[] parallelSecond = problem.RunFast(GemmIsaInfo.Best, pool);
            Assert.Equal(serial, parallelFirst);
            Assert.Equal(parallelFirst, parallelSecond);
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        using var pool = new WorkerPool(2);
        var problem = new Problem(new Random(5), false, true, 200, 64, 300, padding: 0, accumulate: false);
        problem.RunFast(GemmIsaInfo.Best, pool);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 10; call++) problem.RunFastInPlace(GemmIsaInfo.Best, pool);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void RejectsTooSmallLeadingDimensions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 3, 4, null, 3, null, 3, null, 3, false, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, true, 2, 3, 4, null, 2, null, 3, null, 3, false, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 3, 4, null, 4, null, 3, null, 2, false, null));
    }

    /// <summary>Random operands with padded leading dimensions. Padding in A and B is NaN (must never be read);
    /// padding in C is a sentinel (must never be written); C itself starts NaN unless accumulating.</summary>
    private sealed class Problem
    {
        private const float Sentinel = -12345f;
        private readonly bool _transA, _transB, _accumulate;
        private readonly int _m, _n, _k, _lda, _ldb, _ldc;
        private readonly float[] _a, _b, _c0, _c;

        public Problem(Random random, bool transA, bool transB, int m, int n, int k, int padding, bool accumulate)
        {
            (_transA, _transB, _accumulate, _m, _n, _k) = (transA, transB, accumulate, m, n, k);
            int aRows = transA ? k : m, aColumns = transA ? m : k;
            int bRows = transB ? n : k, bColumns = transB ? k : n;
            _lda = Math.Max(1, aColumns + padding);
            _ldb = Math.Max(1, bColumns + padding);
            _ldc = n + padding;
            _a = Matrix(random, aRows, aColumns, _lda, float.NaN, () => random.NextSingle() * 2 - 1);
            _b = Matrix(random, bRows, bColumns, _ldb, float.NaN, () => random.NextSingle() * 2 - 1);
            _c0 = Matrix(random, m, n, _ldc, Sentinel, () => accumulate ? random.NextSingle() * 2 - 1 : float.NaN);
            _c = new float[_c0.Length];
        }

        private static float[] Matrix(Random random, int rows, int columns, int ld, float padding, Func<float> value)
        {
            var data = new float[Math.Max(1, rows * ld)];
            for (int i = 0; i < data.Length; i++) data[i] = i % ld < columns && i / ld < rows ? value() : padding;
            return data;
        }

        public float[] RunFast(GemmIsa isa, WorkerPool? pool)
        {
            RunFastInPlace(isa, pool);
            return (float[])_c.Clone();
        }

        public void RunFastInPlace(GemmIsa isa, WorkerPool? pool)
        {
            _c0.CopyTo(_c, 0);
            fixed (float* a = _a, b = _b, c = _c)
                Gemm.Multiply(isa, _transA, _transB, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate, pool);
        }

        /// <summary>The row-stream path, serial or (through <see cref="Gemm.Multiply"/>) split over a pool, against the packed path.</summary>
        public void AssertRowStreamMatchesPacked(GemmIsa isa, WorkerPool? pool = null)
        {
            float[] streamed = pool is null ? (float[])_c0.Clone() : RunFast(isa, pool), packed = (float[])_c0.Clone();
            if (pool is null)
                fixed (float* a = _a, b = _b, c = streamed)
                    GemmRowStream.Run(isa, _transA, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate);
            fixed (float* a = _a, b = _b, c = packed)
                GemmBlocked.RunPacked(isa, _transA, _transB, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate, bInPlace: false);
            AssertSameBits(isa, streamed, packed);
        }

        public void AssertInPlaceBMatchesPacked(GemmIsa isa)
        {
            float[] inPlace = (float[])_c0.Clone(), packed = (float[])_c0.Clone();
            fixed (float* a = _a, b = _b, c = inPlace)
                GemmBlocked.RunPacked(isa, _transA, _transB, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate, bInPlace: true);
            fixed (float* a = _a, b = _b, c = packed)
                GemmBlocked.RunPacked(isa, _transA, _transB, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate, bInPlace: false);
            AssertSameBits(isa, inPlace, packed);
        }

        private void AssertSameBits(GemmIsa isa, float[] actual, float[] packed)
        {
            for (int i = 0; i < packed.Length; i++)
                if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(packed[i]))
                    Assert.Fail($"{isa} transA={_transA} transB={_transB} m={_m} n={_n} k={_k} acc={_accumulate}: element {i} is {actual[i]}, packed {packed[i]}");
        }

        public void AssertFastMatchesReference(GemmIsa isa, WorkerPool? pool)
        {
            float[] fast = RunFast(isa, pool);
            float[] expected = (float[])_c0.Clone();
            fixed (float* a = _a, b = _b, c = expected)
                GemmReference.Multiply(_transA, _transB, _m, _n, _k, a, _lda, b, _ldb, c, _ldc, _accumulate);
            float tolerance = 1e-5f + 1e-6f * _k;
            string shape = $"{isa} transA={_transA} transB={_transB} m={_m} n={_n} k={_k} ld=({_lda},{_ldb},{_ldc}) acc={_accumulate}";
            for (int i = 0; i < fast.Length; i++)
            {
                bool inside = i % _ldc < _n && i / _ldc < _m;
                if (!inside) Assert.True(fast[i] == Sentinel, $"{shape}: wrote padding at {i}");
                else if (!(Math.Abs(fast[i] - expected[i]) <= tolerance))
                    Assert.Fail($"{shape}: C[{i / _ldc},{i % _ldc}] = {fast[i]}, expected {expected[i]}");
            }
        }
    }
}
