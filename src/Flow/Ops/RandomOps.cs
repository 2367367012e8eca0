namespace Flow;

// Random tensors, drawn anew on every run from a stream that the session keeps per op. The stream's
// seed comes from the op's seed, or from the graph seed and the op's position (TF's rule), so results
// are deterministic for a seed. They are sources, so they take the graph as their first argument
// (TF 1.x uses its default graph; Flow has none).

public static partial class Tf
{
    public static readonly OpDef RandomNormalDef = RandomDef("RandomStandardNormal");
    public static readonly OpDef RandomUniformDef = RandomDef("RandomUniform");
    public static readonly OpDef TruncatedNormalDef = RandomDef("TruncatedNormal");

    /// <summary>Normal(mean, stddev) values (tf.random_normal).</summary>
    public static Tensor RandomNormal(Graph g, Shape shape, double mean = 0, double stddev = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(g, RandomNormalDef, shape, seed, dtype), stddev, mean);

    /// <summary>Uniform values in [min, max) (tf.random_uniform).</summary>
    public static Tensor RandomUniform(Graph g, Shape shape, double min = 0, double max = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(g, RandomUniformDef, shape, seed, dtype), max - min, min);

    /// <summary>Normal(mean, stddev) values, redrawing any beyond two standard deviations (tf.truncated_normal).</summary>
    public static Tensor TruncatedNormal(Graph g, Shape shape, double mean = 0, double stddev = 1, int? seed = null, DType dtype = DType.Float32) =>
        Scale(Random(g, TruncatedNormalDef, shape, seed, dtype), stddev, mean);

    private static Tensor Random(Graph g, OpDef def, Shape shape, int? seed, DType dtype)
    {
        if (!dtype.IsFloating()) throw new ArgumentException($"{def.Type}: needs a floating type, got {dtype.Name()}");
        return g.AddOp(def, null, [], [dtype], new RandomAttributes(g.StreamSeed(seed), shape)).Output;
    }

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

public sealed partial class Graph
{
    /// <summary>The seed of the stream of the random op about to be added (its "seed" attribute).</summary>
    internal long StreamSeed(int? seed) =>
        // Seed 0 and an explicit op seed: TF's "op seed only" case; otherwise derive from graph seed and position.
        seed is int s ? ((long)Seed << 32) ^ (uint)s : ((long)Seed << 32) ^ (0x9E3779B9u + (uint)Operations.Count);
}
