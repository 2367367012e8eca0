using System.Diagnostics;

namespace Flow;

/// <summary>Time spent per op type (and per op) across session runs: where a step's time goes.</summary>
public sealed class OpProfile
{
    private readonly Dictionary<Operation, (long Ticks, int Calls)> _byOp = [];

    internal void Add(Operation op, long ticks)
    {
        _byOp.TryGetValue(op, out var e);
        _byOp[op] = (e.Ticks + ticks, e.Calls + 1);
    }

    /// <summary>Seconds and call counts per op type, largest first.</summary>
    public IReadOnlyList<(string OpType, double Seconds, int Calls)> ByType() => _byOp
        .GroupBy(kv => kv.Key.Type)
        .Select(g => (g.Key, g.Sum(kv => kv.Value.Ticks) / (double)Stopwatch.Frequency, g.Sum(kv => kv.Value.Calls)))
        .OrderByDescending(e => e.Item2)
        .ToList();

    /// <summary>Seconds per individual op (name, type), largest first.</summary>
    public IReadOnlyList<(string Op, string OpType, double Seconds, int Calls)> ByOp() => _byOp
        .Select(kv => (kv.Key.Name, kv.Key.Type, kv.Value.Ticks / (double)Stopwatch.Frequency, kv.Value.Calls))
        .OrderByDescending(e => e.Item3)
        .ToList();

    public double TotalSeconds => _byOp.Values.Sum(e => e.Ticks) / (double)Stopwatch.Frequency;
}
