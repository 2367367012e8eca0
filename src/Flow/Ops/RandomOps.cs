namespace Flow;

// Random tensors, drawn anew on every run from a stream that the session keeps per op. The stream's
// seed comes from the op's seed, or from the graph seed and the op's position (TF's rule), so results
// are deterministic for a seed.

public sealed partial class Graph
{
    public static readonly OpDef RandomNormalDef = RandomDef("RandomStandardNormal");
    public static readonly OpDef RandomUniformDef = RandomDef("RandomUniform");
    public static readonly OpDef TruncatedNormalDef = RandomDef("TruncatedNormal");

    /// <summary>Normal(mean, stddev) values.</summary>
    public Tensor RandomNormal(Shape shape, double mean = 0, double stddev = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(RandomNormalDef, shape, seed, dtype), stddev, mean);

    /// <summary>Uniform values in [min, max).</summary>
    public Tensor RandomUniform(Shape shape, double min = 0, double max = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(RandomUniformDef, shape, seed, dtype), max - min, min);

    /// <summary>Normal(mean, stddev) values, redrawing any beyond two standard deviations (TF's semantics).</summary>
    public Tensor TruncatedNormal(Shape shape, double mean = 0, double stddev = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(TruncatedNormalDef, shape, seed, dtype), stddev, mean);

    private Tensor Random(OpDef def, Shape shape, int? seed, DType dtype)
    {
        if (!dtype.IsFloating()) throw new ArgumentException($"{def.Type}: needs a floating type, got {dtype.Name()}");
        return AddOp(def, null, [], [dtype], new RandomAttributes(StreamSeed(seed), shape)).Output;
    }

    /// <summary>The seed of the stream of the random op about to be added (its "seed" attribute).</summary>
    internal long StreamSeed(int? seed) =>
        // Seed 0 and an explicit op seed: TF's "op seed only" case; otherwise derive from graph seed and position.
        seed is int s ? ((long)Seed << 32) ^ (uint)s : ((long)Seed << 32) ^ (0x9E3779B9u + (uint)Operations.Count);

    private static Tensor Scale(Tensor x, double scale, double shift)
    {
        var y = scale == 1 ? x : x * scale;
        return shift == 0 ? y : y + shift;
    }

    private static OpDef RandomDef(string type) => new(type, (op, _) =>
    {
        var shape = op.Attrs<RandomAttributes>().Shape!;
        return shape.IsFullyDefined ? [shape] : throw new ShapeException($"{type} '{op.Name}': shape {shape} must be fully defined");
    }, null) { NotDifferentiable = true, Stateful = true, AttributesType = typeof(RandomAttributes) };
}
