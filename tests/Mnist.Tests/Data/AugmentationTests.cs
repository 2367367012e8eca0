using Flow.Backends.Cpu;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Tests.Data;

/// <summary>The training images' random affine distortion: its draws, the bilinear warp, and the batch augmenter on a worker pool.</summary>
public class AugmentationTests
{
    private const int Side = MnistLayout.ImageWidth, Pixels = MnistLayout.ImagePixels;

    private static float[] RandomImages(int rows, int seed)
    {
        var random = new Random(seed);
        var images = new float[rows * Pixels];
        for (int i = 0; i < images.Length; i++) images[i] = random.NextSingle();
        return images;
    }

    /// <summary>A filled rectangle of ink on background 0.</summary>
    private static float[] Rectangle(int left, int top, int width, int height)
    {
        var image = new float[Pixels];
        for (int y = top; y < top + height; y++)
            for (int x = left; x < left + width; x++) image[y * Side + x] = 1;
        return image;
    }

    private static (double X, double Y, double Mass) CentreOfMass(ReadOnlySpan<float> image)
    {
        double sx = 0, sy = 0, mass = 0;
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                double v = image[y * Side + x];
                (sx, sy, mass) = (sx + v * x, sy + v * y, mass + v);
            }
        return (sx / mass, sy / mass, mass);
    }

    private static float[] Warp(float[] source, AffineDistortion d, float background = 0)
    {
        var output = new float[Pixels];
        ImageWarp.Apply(source, output, d, background);
        return output;
    }

    [Fact]
    public void DrawsStayInTheirRangesAndCoverThem()
    {
        var draws = Enumerable.Range(0, 2000).Select(i => AffineDistortion.Draw(7, i / 50, i % 50)).ToArray();
        void InRange(Func<AffineDistortion, double> value, double low, double high)
        {
            var values = draws.Select(value).ToArray();
            Assert.All(values, v => Assert.InRange(v, low, high));
            // 2,000 uniform draws come within 2% of each end.
            Assert.True(values.Min() < low + 0.02 * (high - low) && values.Max() > high - 0.02 * (high - low), $"{values.Min()}..{values.Max()}");
        }
        InRange(d => d.ShiftX, -2, 2);
        InRange(d => d.ShiftY, -2, 2);
        InRange(d => d.RotationDegrees, -10, 10);
        InRange(d => d.Scale, 0.9, 1.1);
    }

    [Fact]
    public void DrawsDependOnSeedStepAndRowOnly()
    {
        Assert.Equal(AffineDistortion.Draw(3, 1000, 5), AffineDistortion.Draw(3, 1000, 5));
        Assert.NotEqual(AffineDistortion.Draw(3, 1000, 5), AffineDistortion.Draw(3, 1001, 5));
        Assert.NotEqual(AffineDistortion.Draw(3, 1000, 5), AffineDistortion.Draw(3, 1000, 6));
        Assert.NotEqual(AffineDistortion.Draw(3, 1000, 5), AffineDistortion.Draw(4, 1000, 5));
    }

    [Fact]
    public void IdentityReproducesTheInputExactly()
    {
        var source = RandomImages(1, 1);
        Assert.Equal(source, Warp(source, AffineDistortion.Identity, background: 0.25f));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(-1, -1)]
    public void AWholePixelShiftMovesEveryPixelByThatMuch(int dx, int dy)
    {
        var source = RandomImages(1, 2);
        var shifted = Warp(source, new AffineDistortion(dx, dy, 0, 1), background: -0.5f);
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                int fromX = x - dx, fromY = y - dy;
                bool inside = (uint)fromX < Side && (uint)fromY < Side;
                Assert.Equal(inside ? source[fromY * Side + fromX] : -0.5f, shifted[y * Side + x]);
            }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-10)]
    [InlineData(7.5)]
    public void RotationTurnsTheCentreOfMassAboutTheImageCentreAndKeepsTheInk(double degrees)
    {
        // An off-centre bar: its centre of mass must turn with it about pixel (13.5, 13.5), clockwise on screen.
        var source = Rectangle(15, 6, 4, 10);
        var (x, y, mass) = CentreOfMass(source);
        var (rx, ry, rotatedMass) = CentreOfMass(Warp(source, new AffineDistortion(0, 0, degrees, 1)));
        double t = degrees * Math.PI / 180, c = 13.5;
        double ex = c + Math.Cos(t) * (x - c) - Math.Sin(t) * (y - c), ey = c + Math.Sin(t) * (x - c) + Math.Cos(t) * (y - c);
        Assert.True(Math.Abs(rx - ex) < 0.1 && Math.Abs(ry - ey) < 0.1, $"centre of mass ({rx:F3}, {ry:F3}), expected ({ex:F3}, {ey:F3})");
        Assert.True(Math.Abs(rotatedMass / mass - 1) < 0.03, $"mass {mass} became {rotatedMass}");
    }

    [Fact]
    public void ScaleGrowsTheInkAboutTheCentre()
    {
        var source = Rectangle(9, 9, 10, 10);
        var (_, _, mass) = CentreOfMass(source);
        var (x, y, grown) = CentreOfMass(Warp(source, new AffineDistortion(0, 0, 0, 1.1)));
        Assert.Equal(13.5, x, 6);
        Assert.Equal(13.5, y, 6);
        Assert.InRange(grown / mass, 1.21 - 0.03, 1.21 + 0.03);
    }

    [Fact]
    public void SameSeedGivesTheSameBatchOnAnyThreadCountAndAnotherStepAnother()
    {
        var original = RandomImages(13, 3);
        float[] Augment(WorkerPool? pool, int seed, long step)
        {
            var images = (float[])original.Clone();
            new BatchAugmenter(pool, seed, PixelScaling.ZeroToOne).Apply(images, 13, step);
            return images;
        }
        using var two = new WorkerPool(2);
        using var three = new WorkerPool(3);
        var inline = Augment(null, 5, 40);
        Assert.Equal(inline, Augment(two, 5, 40));
        Assert.Equal(inline, Augment(three, 5, 40));
        Assert.NotEqual(inline, original);
        var next = Augment(two, 5, 41);
        var otherSeed = Augment(two, 6, 40);
        for (int row = 0; row < 13; row++)
        {
            Assert.NotEqual(inline.AsSpan(row * Pixels, Pixels).ToArray(), next.AsSpan(row * Pixels, Pixels).ToArray());
            Assert.NotEqual(inline.AsSpan(row * Pixels, Pixels).ToArray(), otherSeed.AsSpan(row * Pixels, Pixels).ToArray());
            // Row r of the batch is warped with exactly the draw for (seed, step, r).
            Assert.Equal(Warp(original.AsSpan(row * Pixels, Pixels).ToArray(), AffineDistortion.Draw(5, 40, row)),
                inline.AsSpan(row * Pixels, Pixels).ToArray());
        }
    }

    [Fact]
    public void WhatMovesInIsTheScalingsBackground()
    {
        var images = new float[2 * Pixels];
        Array.Fill(images, 0.5f);
        new BatchAugmenter(null, 1, PixelScaling.MinusHalfToHalf).Apply(images, 2, 0);
        // Every draw shifts, turns or shrinks a little, so some corner pixel reads from outside: -0.5, a raw 0.
        Assert.Contains(-0.5f, images);
        Assert.All(images, v => Assert.InRange(v, -0.5f, 0.5f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SteadyStateBatchesAllocateNothing(int threads)
    {
        // One thread runs every row on this thread, where its allocations are counted; with two, this thread runs
        // the pool's hand-out and its share of the same row code (other threads' counts would include the test runner's).
        using var pool = new WorkerPool(threads);
        var augmenter = new BatchAugmenter(pool, 1, PixelScaling.ZeroToOne);
        var images = RandomImages(64, 4);
        for (int i = 0; i < 200; i++) augmenter.Apply(images, 64, i);
        // Three windows, as in NextBatchTests: the runtime's one-time work may allocate at a moment that depends on load.
        var allocated = new List<long>();
        for (int attempt = 0; attempt < 3 && (allocated.Count == 0 || allocated[^1] != 0); attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) augmenter.Apply(images, 64, i);
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(allocated[^1] == 0, $"50 batches allocated {string.Join(", then ", allocated)} bytes");
        Assert.True(augmenter.ElapsedTicks > 0);
    }

    [Fact]
    public void TheSettingIsRecordedAndAFileWithoutItReadsOff()
    {
        var on = new SoftmaxRegression().DefaultSettings with { Augment = true };
        Assert.Equal("true", on.Describe()["augment"]);
        Assert.True(TrainingSettings.FromDescription(on.Describe(), on with { Augment = false }).Augment);
        var off = on with { Augment = false };
        Assert.False(off.Describe().ContainsKey("augment"));
        // A recipe that augments by default still reads a file without the entry as trained without.
        Assert.False(TrainingSettings.FromDescription(off.Describe(), on).Augment);
        var bad = new Dictionary<string, string>(on.Describe()) { ["augment"] = "maybe" };
        Assert.Contains("augment", Assert.Throws<FormatException>(() => TrainingSettings.FromDescription(bad, on)).Message);
    }
}
