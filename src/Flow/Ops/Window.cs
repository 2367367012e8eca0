namespace Flow;

/// <summary>
/// Where a sliding window (a Conv2D filter or a pooling window) visits an NHWC input, with TF's exact
/// SAME/VALID rules. VALID: out = ceil((in − k + 1) / stride). SAME: out = ceil(in / stride), padded by
/// max((out − 1)·stride + k − in, 0) in total, the odd cell going to the bottom/right.
/// </summary>
public readonly record struct Window(int N, int H, int W, int C, int KH, int KW, int SH, int SW, int OH, int OW, int PadTop, int PadLeft)
{
    /// <summary>Output size along one axis; unknown when the input size is.</summary>
    public static int OutSize(int size, int k, int stride, bool same) =>
        size == Shape.Unknown || k == Shape.Unknown ? Shape.Unknown
        : same ? (size + stride - 1) / stride
        : Math.Max(0, (size - k + stride) / stride);

    /// <summary>Padding before the first cell (top or left): half the total, rounded down.</summary>
    public static int PadBefore(int size, int k, int stride, bool same) =>
        same ? Math.Max((OutSize(size, k, stride, true) - 1) * stride + k - size, 0) / 2 : 0;

    /// <summary>The window over a concrete input [N, H, W, C].</summary>
    public static Window Of(Shape input, int kh, int kw, (int H, int W) strides, bool same) => new(
        input[0], input[1], input[2], input[3], kh, kw, strides.H, strides.W,
        OutSize(input[1], kh, strides.H, same), OutSize(input[2], kw, strides.W, same),
        PadBefore(input[1], kh, strides.H, same), PadBefore(input[2], kw, strides.W, same));

    /// <summary>Elements of one input image, H·W·C.</summary>
    public int ImageSize => H * W * C;
}

public static partial class Tf
{
    // The windowed ops' builders take "strides" and "ksize" as [h, w] or TF's 4-element NHWC form [1, h, w, 1],
    // and "padding" as "SAME" or "VALID" (any case); their attribute records hold the normalised values.
    private static (int H, int W) WindowPair(string opType, string what, int[] v)
    {
        int[] hw = v.Length switch
        {
            2 => [v[0], v[1]],
            4 when v[0] == 1 && v[3] == 1 => [v[1], v[2]],
            _ => throw new ArgumentException($"{opType}: {what} must be [h, w] or NHWC [1, h, w, 1], got [{string.Join(", ", v)}]"),
        };
        if (hw[0] < 1 || hw[1] < 1)
            throw new ArgumentException($"{opType}: {what} must be positive, got [{string.Join(", ", v)}]");
        return (hw[0], hw[1]);
    }

    private static Padding ParsePadding(string opType, string padding) => padding.ToUpperInvariant() switch
    {
        "SAME" => Padding.Same,
        "VALID" => Padding.Valid,
        _ => throw new ArgumentException($"{opType}: padding must be \"SAME\" or \"VALID\", got \"{padding}\""),
    };

    private static void RequireRank4(Operation op, string what, Shape s)
    {
        if (s.Rank != 4) throw new ShapeException($"{op.Type} '{op.Name}': {what} must be rank 4 (NHWC), got {s}");
    }

    // [N, H, W, ·] -> [N, OH, OW, channels] for a kh×kw window; VALID needs the window to fit in the input.
    private static Shape WindowOutput(Operation op, Shape input, int kh, int kw, (int H, int W) strides, Padding padding, int channels)
    {
        var (sh, sw) = strides;
        bool same = padding == Padding.Same;
        if (!same && (Larger(kh, input[1]) || Larger(kw, input[2])))
            throw new ShapeException($"{op.Type} '{op.Name}': the {kh}×{kw} window is larger than the input {input} with VALID padding");
        return new Shape(input[0], Window.OutSize(input[1], kh, sh, same), Window.OutSize(input[2], kw, sw, same), channels);
    }

    private static bool Larger(int k, int size) => k != Shape.Unknown && size != Shape.Unknown && k > size;
}
