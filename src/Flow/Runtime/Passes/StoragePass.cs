namespace Flow;

/// <summary>
/// Pass 4: logical storages and their lifetimes. Each output gets a storage, except that an aliasing op's
/// output (Reshape's view, a state op's variable) shares its input's; each fed tensor the plan reads or fetches
/// gets one too. A storage lives until the last step that reads or writes it; fetched ones to the end.
/// </summary>
internal static class StoragePass
{
    internal sealed class Plan(Dictionary<Tensor, int> storageOf, long[] bytes, Operation?[] source, int[] lastUse, Tensor[] fed)
    {
        public IReadOnlyDictionary<Tensor, int> StorageOf { get; } = storageOf;
        /// <summary>Bytes of each storage.</summary>
        public long[] Bytes { get; } = bytes;
        /// <summary>The source op whose buffer a storage is (variable, constant, or the op of a fed tensor); null for a temporary.</summary>
        public Operation?[] Source { get; } = source;
        /// <summary>Index of the last step using each storage (int.MaxValue: fetched).</summary>
        public int[] LastUse { get; } = lastUse;
        /// <summary>The fed tensors the plan reads or fetches, each with a storage of its own.</summary>
        public Tensor[] Fed { get; } = fed;
        public int Count => Bytes.Length;
    }

    public static Plan Run(IReadOnlyList<Operation> ordered, IReadOnlyDictionary<Tensor, Shape> shapes, Tensor[] fetches)
    {
        var storageOf = new Dictionary<Tensor, int>();
        var bytes = new List<long>();
        var source = new List<Operation?>();
        var fed = new List<Tensor>();
        void Add(Tensor t, Operation? from)
        {
            storageOf[t] = bytes.Count;
            bytes.Add((long)shapes[t].Size * t.DType.Size());
            source.Add(from);
        }
        // A tensor read before any op of the plan produced it is fed (the prune pass stopped there).
        void AddIfFed(Tensor t)
        {
            if (storageOf.ContainsKey(t)) return;
            Add(t, t.Op);
            fed.Add(t);
        }

        foreach (var op in ordered)
        {
            foreach (var t in op.Inputs) AddIfFed(t);
            foreach (var t in op.Outputs)
            {
                if (op.Def.AliasesInput >= 0) storageOf[t] = storageOf[op.Inputs[op.Def.AliasesInput]];
                else Add(t, IsSource(op) ? op : null);
            }
        }
        foreach (var f in fetches) AddIfFed(f);

        var lastUse = new int[bytes.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            foreach (var t in ordered[i].Inputs) lastUse[storageOf[t]] = i;
            foreach (var t in ordered[i].Outputs) lastUse[storageOf[t]] = Math.Max(lastUse[storageOf[t]], i);
        }
        foreach (var f in fetches) lastUse[storageOf[f]] = int.MaxValue;
        return new Plan(storageOf, bytes.ToArray(), source.ToArray(), lastUse, fed.ToArray());
    }

    private static bool IsSource(Operation op) => op.Def == Graph.VariableDef || op.Def == Graph.ConstDef;
}
