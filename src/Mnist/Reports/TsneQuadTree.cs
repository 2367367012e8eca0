namespace Mnist.Reports;

/// <summary>
/// The quadtree Barnes-Hut t-SNE sums its repulsive forces through (van der Maaten 2014, section 4.1): square
/// cells split in four until a cell holds one point, each cell keeping its points' count and centre of mass.
/// Stored flat (one array per field, a node's children side by side, empty quadrants left out) and built by
/// partitioning the points, so building is O(n log n) and the same input gives the same tree.
/// </summary>
internal sealed class TsneQuadTree
{
    /// <summary>Coincident points cannot be told apart by splitting: past this depth a cell stays a leaf holding them all.</summary>
    private const int MaxDepth = 40;

    /// <summary>Room for a depth-first walk: at each level at most three siblings wait while the fourth is opened.</summary>
    public const int MaxStack = 3 * MaxDepth + 4;

    private readonly float[] _x, _y;
    private readonly int[] _order, _scratch;
    private int _nodes;

    public float[] CentreX { get; private set; } = [];
    public float[] CentreY { get; private set; } = [];
    /// <summary>The cell's side length.</summary>
    public float[] Size { get; private set; } = [];
    public int[] Count { get; private set; } = [];
    /// <summary>Index of the node's first child, its children following it; -1 for a leaf.</summary>
    public int[] FirstChild { get; private set; } = [];
    public int[] ChildCount { get; private set; } = [];
    /// <summary>A leaf's points are <see cref="Points"/>[<see cref="PointStart"/>.. + <see cref="Count"/>).</summary>
    public int[] PointStart { get; private set; } = [];
    /// <summary>The point indices, ordered so each cell's points are contiguous.</summary>
    public int[] Points => _order;

    /// <summary>The tree of the points (x[i], y[i]).</summary>
    public TsneQuadTree(float[] x, float[] y)
    {
        (_x, _y) = (x, y);
        int n = x.Length;
        (_order, _scratch) = (new int[n], new int[n]);
        for (int i = 0; i < n; i++) _order[i] = i;
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            (minX, maxX) = (Math.Min(minX, _x[i]), Math.Max(maxX, _x[i]));
            (minY, maxY) = (Math.Min(minY, _y[i]), Math.Max(maxY, _y[i]));
        }
        // A little wider than the points, so the largest coordinate falls inside the cell, not on its edge.
        float size = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-6f) * (1 + 1e-4f);
        Build(NewNodes(1), 0, n, minX, minY, size, 0);
    }

    public const int Root = 0;

    private int NewNodes(int count)
    {
        if (_nodes + count > Count.Length)
        {
            int capacity = Math.Max(2 * Count.Length, Math.Max(4 * _x.Length, 16));
            CentreX = Grow(CentreX, capacity); CentreY = Grow(CentreY, capacity); Size = Grow(Size, capacity);
            Count = Grow(Count, capacity); FirstChild = Grow(FirstChild, capacity);
            ChildCount = Grow(ChildCount, capacity); PointStart = Grow(PointStart, capacity);
        }
        int first = _nodes;
        _nodes += count;
        return first;
    }

    private static T[] Grow<T>(T[] array, int capacity)
    {
        Array.Resize(ref array, capacity);
        return array;
    }

    /// <summary>Fills node <paramref name="node"/> for the points _order[start..end) in the square at (left, bottom) of side <paramref name="size"/>.</summary>
    private void Build(int node, int start, int end, float left, float bottom, float size, int depth)
    {
        int count = end - start;
        (Size[node], Count[node], PointStart[node], FirstChild[node], ChildCount[node]) = (size, count, start, -1, 0);
        if (count <= 1 || depth >= MaxDepth)
        {
            double sumX = 0, sumY = 0;
            for (int k = start; k < end; k++) { sumX += _x[_order[k]]; sumY += _y[_order[k]]; }
            (CentreX[node], CentreY[node]) = ((float)(sumX / count), (float)(sumY / count));
            return;
        }

        // Stable partition into the four quadrants (0: left-bottom, 1: right-bottom, 2: left-top, 3: right-top).
        float half = size / 2, midX = left + half, midY = bottom + half;
        Span<int> quadrantStart = stackalloc int[5];
        for (int k = start; k < end; k++) quadrantStart[Quadrant(_order[k], midX, midY) + 1]++;
        quadrantStart[0] = start;
        for (int q = 1; q <= 4; q++) quadrantStart[q] += quadrantStart[q - 1];
        Span<int> next = stackalloc int[4];
        quadrantStart[..4].CopyTo(next);
        for (int k = start; k < end; k++) _scratch[next[Quadrant(_order[k], midX, midY)]++] = _order[k];
        _scratch.AsSpan(start, count).CopyTo(_order.AsSpan(start, count));

        int children = 0;
        for (int q = 0; q < 4; q++) if (quadrantStart[q + 1] > quadrantStart[q]) children++;
        int first = NewNodes(children);
        (FirstChild[node], ChildCount[node]) = (first, children);
        double weightedX = 0, weightedY = 0;
        for (int q = 0, child = first; q < 4; q++)
        {
            if (quadrantStart[q + 1] == quadrantStart[q]) continue;
            Build(child, quadrantStart[q], quadrantStart[q + 1], q % 2 == 0 ? left : midX, q < 2 ? bottom : midY, half, depth + 1);
            weightedX += (double)CentreX[child] * Count[child];
            weightedY += (double)CentreY[child] * Count[child];
            child++;
        }
        (CentreX[node], CentreY[node]) = ((float)(weightedX / count), (float)(weightedY / count));
    }

    private int Quadrant(int point, float midX, float midY) => (_x[point] >= midX ? 1 : 0) + (_y[point] >= midY ? 2 : 0);
}
