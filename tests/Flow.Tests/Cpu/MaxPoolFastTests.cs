using Flow.Backends;
using Flow.Backends.Cpu;

namespace Flow.Tests.Cpu;

/// <summary>The vectorised, image-parallel float32 pooling kernels equal the reference loops exactly.</summary>
public unsafe class MaxPoolFastTests
{
    public static TheoryData<int[], int, int, bool> Cases => new()
    {
        { new[] { 2, 28, 28, 32 }, 2, 2, true },
        { new[] { 3, 7, 5, 8 }, 2, 2, true },
        { new[] { 2, 9, 11, 16 }, 3, 2, true },
        { new[] { 2, 9, 11, 16 }, 3, 1, false },
        { new[] { 1, 6, 6, 64 }, 2, 2, false },
        { new[] { 5, 4, 4, 8 }, 3, 3, true },
        { new[] { 3, 7, 5, 8 }, 2, 2, false },   // windows that tile but leave the last row and column out
    };

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolAndItsGradientEqualTheReference(int[] shape, int k, int stride, bool same)
    {
        var w = Window.Of(new Shape(shape), k, k, (stride, stride), same);
        Assert.True(MaxPoolFast.Applies(w));
        int inSize = w.N * w.ImageSize, outSize = w.N * w.OH * w.OW * w.C;
        // Few distinct values, so ties are common and the first-max rule is exercised.
        var x = Buffer(TestValues.Values(inSize, 3).Select(v => (float)Math.Round(v * 4)).ToArray());
        // Some −0 in dy: the reference's cleared dx turns them into +0.
        var dy = Buffer(TestValues.Floats(outSize, 4).Select((v, i) => i % 7 == 0 ? -0f : v).ToArray());
        using var backend = (CpuBackend)BackendCatalog.Builtin.Create("cpu", new BackendOptions(2));

        var yFast = new CpuBuffer(outSize * 4);
        MaxPoolFast.MaxPool(w, backend).Run([x], [yFast]);
        var yRef = new float[outSize];
        fixed (float* p = yRef) PoolKernels.MaxPool(w, x.Ptr<float>(), null, p);
        Assert.Equal(yRef, yFast.Span<float>(outSize).ToArray());

        var dxFast = new CpuBuffer(inSize * 4);
        dxFast.Span<float>(inSize).Fill(float.NaN);   // what an earlier step left: every cell must be written
        MaxPoolFast.MaxPoolGrad(w, backend).Run([x, yFast, dy], [dxFast]);
        var dxRef = new float[inSize];
        fixed (float* p = dxRef) PoolKernels.MaxPoolGrad(w, x.Ptr<float>(), dy.Ptr<float>(), p);
        // Bit for bit (float equality would let −0 pass for +0).
        Assert.Equal(dxRef.Select(BitConverter.SingleToInt32Bits), dxFast.Span<float>(inSize).ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    private static CpuBuffer Buffer(float[] values)
    {
        var b = new CpuBuffer(values.Length * 4);
        values.CopyTo(b.Span<float>(values.Length));
        return b;
    }
}
