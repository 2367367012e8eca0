using System.Runtime.Intrinsics;
using Flow.Backends.Cpu;

namespace Flow.Tests.Cpu;

/// <summary>
/// The direct one-channel convolution gives exactly the bits of the patch-packing GEMM it stands in for, on every
/// schedule: image groups, row ranges for batches smaller than the pool, and the filter gradient's image ranges.
/// </summary>
public unsafe class SingleChannelConvTests
{
    public static TheoryData<int[], int[], string> Cases => new()
    {
        { new[] { 50, 28, 28, 1 }, new[] { 5, 5, 1, 32 }, "SAME" },   // deep's conv1 at its batch
        { new[] { 3, 28, 28, 1 }, new[] { 3, 3, 1, 32 }, "VALID" },   // best's first layer
        { new[] { 1, 28, 28, 1 }, new[] { 5, 5, 1, 32 }, "SAME" },    // batch 1 (predict): row ranges across the pool
        { new[] { 2, 9, 30, 1 }, new[] { 3, 2, 1, 64 }, "SAME" },     // two channel blocks, rows longer than a tile, even taps
        { new[] { 7, 5, 3, 1 }, new[] { 4, 3, 1, 32 }, "VALID" },     // rows shorter than a tile, panels across images
        { new[] { 5, 6, 13, 1 }, new[] { 1, 1, 1, 32 }, "SAME" },     // one tap
        { new[] { 2, 17, 17, 1 }, new[] { 7, 7, 1, 32 }, "SAME" },    // 49 taps: ten tiles of 4 and 5
        { new[] { 40, 4, 4, 1 }, new[] { 2, 2, 1, 32 }, "VALID" },    // 9 pixels an image: panels of 256 cut images
    };

    [Theory, MemberData(nameof(Cases))]
    public void GivesTheBitsOfThePatchPath(int[] x, int[] f, string padding)
    {
        var w = Window.Of(new Shape(x), f[0], f[1], (1, 1), padding == "SAME");
        int cout = f[3];
        // Without AVX-512 the direct kernel never runs; the other tests cover the patch path there.
        Assert.Equal(Vector512.IsHardwareAccelerated, SingleChannelConv.Applies(w, cout));
        if (!Vector512.IsHardwareAccelerated) return;
        var xv = TestValues.Floats(x.Aggregate(1, (a, b) => a * b), 31);
        var fv = TestValues.Floats(f.Aggregate(1, (a, b) => a * b), 32);
        var dyv = TestValues.Floats(w.N * w.OH * w.OW * cout, 33);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var pool = new WorkerPool(threads);
            var (y, df) = Run(new Im2ColConv(w, cout, pool, singleChannel: true), xv, fv, dyv);
            var (yPatches, dfPatches) = Run(new Im2ColConv(w, cout, pool, singleChannel: false), xv, fv, dyv);
            Assert.Equal(Bits(yPatches), Bits(y));
            Assert.Equal(Bits(dfPatches), Bits(df));
        }
    }

    [Fact]
    public void TakesOnlyOneChannelAtStrideOneWithWholeChannelBlocks()
    {
        static bool Applies(int[] x, int[] f, int stride) =>
            SingleChannelConv.Applies(Window.Of(new Shape(x), f[0], f[1], (stride, stride), same: true), f[3]);
        Assert.Equal(Vector512.IsHardwareAccelerated, Applies([2, 28, 28, 1], [5, 5, 1, 32], 1));
        Assert.False(Applies([2, 28, 28, 2], [5, 5, 2, 32], 1));
        Assert.False(Applies([2, 28, 28, 1], [5, 5, 1, 32], 2));
        Assert.False(Applies([2, 28, 28, 1], [5, 5, 1, 16], 1));
        Assert.False(Applies([2, 28, 28, 1], [17, 17, 1, 32], 1));  // 289 taps: more than one GEMM panel
    }

    // Bit for bit: float equality would take −0 for +0.
    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static (float[] Y, float[] Df) Run(Im2ColConv conv, float[] x, float[] f, float[] dy)
    {
        var y = new float[dy.Length];
        var df = new float[f.Length];
        fixed (float* px = x, pf = f, pdy = dy, py = y, pdf = df)
        {
            conv.Forward(px, pf, py);
            conv.BackpropFilter(px, pdy, pdf);
        }
        return (y, df);
    }
}
