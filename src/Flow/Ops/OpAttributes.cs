namespace Flow;

// The typed attributes of ops (what TF keeps in a string-keyed attr map): checked and normalised when
// the op is built, so shape functions, gradients, kernels of any backend and exporters read them as
// fields. An op definition names the record type it takes (OpDef.AttributesType).

/// <summary>Base of every op's attribute record.</summary>
public abstract record OpAttributes;

/// <summary>A source's static shape (Placeholder, Variable) or Reshape's target (one dim may be -1).</summary>
public sealed record ShapeAttributes(Shape Shape) : OpAttributes;

/// <summary>A constant's value.</summary>
public sealed record ConstAttributes(HostTensor Value) : OpAttributes;

/// <summary>Fill's shape and the value every element takes (converted to the output's type).</summary>
public sealed record FillAttributes(Shape Shape, double Value) : OpAttributes;

/// <summary>Cast's target type.</summary>
public sealed record CastAttributes(DType To) : OpAttributes;

/// <summary>MatMul's transposition flags: op(a)·op(b).</summary>
public sealed record MatMulAttributes(bool TransposeA, bool TransposeB) : OpAttributes;

/// <summary>ArgMax's axis as given (negative counts from the end).</summary>
public sealed record AxisAttributes(int Axis) : OpAttributes
{
    /// <summary>The axis for an input of the given rank, in [0, rank).</summary>
    public int For(int rank) => Axis < 0 ? Axis + rank : Axis;
}

/// <summary>The axes of a reduction (null: all) and whether they stay as size-1 dimensions.</summary>
public sealed record ReduceAttributes(int[]? Axes, bool KeepDims) : OpAttributes
{
    /// <summary>Per axis of an input of the given rank, whether it is reduced (axes already checked against the rank at build time).</summary>
    public bool[] Reduced(int rank)
    {
        var reduced = new bool[rank];
        if (Axes is null) Array.Fill(reduced, true);
        else foreach (var a in Axes) reduced[a < 0 ? a + rank : a] = true;
        return reduced;
    }
}

/// <summary>SAME pads so that out = ceil(in / stride); VALID does not pad.</summary>
public enum Padding { Same, Valid }

/// <summary>Strides and padding of the Conv2D family; the window size is the filter's.</summary>
public sealed record ConvAttributes(int StrideH, int StrideW, Padding Padding) : OpAttributes
{
    /// <summary>The geometry over a concrete input [N, H, W, Cin] and filter [KH, KW, Cin, Cout].</summary>
    public Window WindowFor(Shape input, Shape filter) => Window.Of(input, filter[0], filter[1], (StrideH, StrideW), Padding == Padding.Same);
}

/// <summary>Window size, strides and padding of the MaxPool family.</summary>
public sealed record PoolAttributes(int KernelH, int KernelW, int StrideH, int StrideW, Padding Padding) : OpAttributes
{
    /// <summary>The geometry over a concrete input [N, H, W, C].</summary>
    public Window WindowFor(Shape input) => Window.Of(input, KernelH, KernelW, (StrideH, StrideW), Padding == Padding.Same);
}

/// <summary>The seed of a random op's stream and, for the random tensors, their shape.</summary>
public sealed record RandomAttributes(long Seed, Shape? Shape = null) : OpAttributes;

/// <summary>ApplyMomentum's momentum and whether the step looks ahead (Nesterov, TF's use_nesterov form).</summary>
public sealed record MomentumAttributes(double Momentum, bool UseNesterov = false) : OpAttributes;

/// <summary>ApplyAdam's decay rates and epsilon.</summary>
public sealed record AdamAttributes(double Beta1, double Beta2, double Epsilon) : OpAttributes;

/// <summary>ConcatSlice's axis and which of the joined inputs' extents it cuts out.</summary>
public sealed record ConcatSliceAttributes(int Axis, int Index) : OpAttributes;

/// <summary>Transpose's permutation: output axis i is input axis Perm[i].</summary>
public sealed record PermutationAttributes(int[] Perm) : OpAttributes;

/// <summary>OneHot's depth, on and off values, and where the new axis goes (−1: last).</summary>
public sealed record OneHotAttributes(int Depth, double OnValue, double OffValue, int Axis) : OpAttributes
{
    /// <summary>The new axis for an output of the given rank, in [0, rank).</summary>
    public int For(int rank) => Axis < 0 ? rank - 1 : Axis;
}

/// <summary>ApplyRMSProp's decay, momentum and epsilon (inside the square root, as TF has it).</summary>
public sealed record RmsPropAttributes(double Decay, double Momentum, double Epsilon) : OpAttributes;

/// <summary>FusedBatchNorm's epsilon, added to the variance inside the square root.</summary>
public sealed record BatchNormAttributes(double Epsilon) : OpAttributes;
