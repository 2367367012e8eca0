namespace Flow;

/// <summary>
/// A tensor shape whose dimensions may be unknown (-1) at graph-build time, like TF's
/// TensorShape. Immutable; equality is by dimensions.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    public const int Unknown = -1;
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        foreach (var d in dims)
            if (d < Unknown) throw new ArgumentException($"invalid dimension {d} in shape [{string.Join(", ", dims)}]");
        _dims = (int[])dims.Clone();
    }

    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;
    public int this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];
    public ReadOnlySpan<int> Dims => _dims;
    public int[] ToArray() => (int[])_dims.Clone();

    public bool IsFullyDefined => Array.IndexOf(_dims, Unknown) < 0;

    /// <summary>Number of elements; only for fully defined shapes.</summary>
    public int Size
    {
        get
        {
            if (!IsFullyDefined) throw new InvalidOperationException($"shape {this} is not fully defined");
            long n = 1;
            foreach (var d in _dims) n *= d;
            if (n > int.MaxValue) throw new InvalidOperationException($"shape {this} has more than 2^31 elements");
            return (int)n;
        }
    }

    /// <summary>True when a value of shape <paramref name="concrete"/> may be fed where this shape is expected.</summary>
    public bool IsCompatibleWith(Shape concrete)
    {
        if (concrete.Rank != Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != Unknown && concrete._dims[i] != Unknown && _dims[i] != concrete._dims[i]) return false;
        return true;
    }

    /// <summary>NumPy broadcasting of two shapes; null when they are incompatible.</summary>
    public static Shape? TryBroadcast(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Rank) >= 0 ? a._dims[i - (rank - a.Rank)] : 1;
            int db = i - (rank - b.Rank) >= 0 ? b._dims[i - (rank - b.Rank)] : 1;
            if (da == db) dims[i] = da;
            else if (da == 1) dims[i] = db;
            else if (db == 1) dims[i] = da;
            else if (da == Unknown) dims[i] = db;
            else if (db == Unknown) dims[i] = da;
            else return null;
        }
        return new Shape(dims);
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _dims.Select(d => d == Unknown ? "?" : d.ToString())) + "]";

    public static implicit operator Shape(int[] dims) => new(dims);
}
