namespace Flow;

/// <summary>
/// Pass 4: logical storages and their lifetimes. Each output gets a storage, except that an aliasing op's
/// output (Reshape's view, a state op's variable) shares its input's. A storage lives until the last step
/// that reads or writes it; fetched ones to the end.
/// </summary>
internal static class StoragePass
{
    internal sealed class Plan(Dictionary<Tensor, int> storageOf, long[] bytes, Operation?[] source, int[] lastUse)
    {
        public IReadOnlyDictionary<Tensor, int> StorageOf { get; } = storageOf;
        /// <summary>Bytes of each storage.</summary>
        public long[] Bytes { get; } = bytes;
        /// <summary>The source op (variable, placeholder, constant) whose buffer a storage is; null for a temporary.</summary>
        public Operation?[] Source { get; } = source;
        /// <summary>Index of the last step using each storage (int.MaxValue: fetched).</summary>
        public int[] LastUse { get; } = lastUse;
        public int Count => Bytes.Length;
    }

    public static Plan Run(IReadOnlyList<Operation> ordered, IReadOnlyDictionary<Tensor, Shape> shapes, Tensor[] fetches)
    {
        var storageOf = new Dictionary<Tensor, int>();
        var bytes = new List<long>();
        var source = new List<Operation?>();
        foreach (var op in ordered)
            foreach (var t in op.Outputs)
            {
                if (op.Def.AliasesInput >= 0) { storageOf[t] = storageOf[op.Inputs[op.Def.AliasesInput]]; continue; }
                storageOf[t] = bytes.Count;
                bytes.Add((long)shapes[t].Size * t.DType.Size());
                source.Add(IsSource(op) ? op : null);
            }

        var lastUse = new int[bytes.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            foreach (var t in ordered[i].Inputs) lastUse[storageOf[t]] = i;
            foreach (var t in ordered[i].Outputs) lastUse[storageOf[t]] = Math.Max(lastUse[storageOf[t]], i);
        }
        foreach (var f in fetches) lastUse[storageOf[f]] = int.MaxValue;
        return new Plan(storageOf, bytes.ToArray(), source.ToArray(), lastUse);
    }

    public static bool IsSource(Operation op) =>
        op.Def == Graph.VariableDef || op.Def == Graph.PlaceholderDef || op.Def == Graph.ConstDef;
}
