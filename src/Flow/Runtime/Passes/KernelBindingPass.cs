using Flow.Backends;

namespace Flow;

/// <summary>
/// Pass 6: a kernel for every op that runs one, bound to its buffers. The backend's declared ops are checked
/// first, so a plan with several unsupported ops names them all at once.
/// </summary>
internal static class KernelBindingPass
{
    /// <exception cref="NotSupportedException">The backend lacks an op, or a kernel for its element types.</exception>
    public static CompiledPlan.Step[] Run(IReadOnlyList<Operation> ordered, IReadOnlyDictionary<Tensor, Shape> shapes,
        StoragePass.Plan storage, IDeviceBuffer[] buffers, IBackend backend, IRandomStreams random)
    {
        var running = ordered.Where(op => op.Def.RunsKernel).ToArray();
        var missing = running.Where(op => !backend.Supports(op.Def)).Select(op => op.Type).Distinct().ToArray();
        if (missing.Length > 0)
            throw new NotSupportedException($"backend '{backend.Name}' does not support op type(s) {string.Join(", ", missing)}");

        var steps = new CompiledPlan.Step[running.Length];
        for (int i = 0; i < running.Length; i++)
        {
            var op = running[i];
            var request = new KernelRequest(op,
                op.Inputs.Select(t => shapes[t]).ToArray(), op.Inputs.Select(t => t.DType).ToArray(),
                op.Outputs.Select(t => shapes[t]).ToArray(), op.Outputs.Select(t => t.DType).ToArray(),
                op.Def.Stateful ? random.For(op) : null);
            var kernel = backend.CreateKernel(request)
                ?? throw new NotSupportedException($"backend '{backend.Name}' has no kernel for op '{op.Name}' of type {op.Type} " +
                    $"on {string.Join(", ", request.InputTypes.Select(t => t.Name()))}");
            steps[i] = new(op, kernel,
                op.Inputs.Select(t => buffers[storage.StorageOf[t]]).ToArray(),
                op.Outputs.Select(t => buffers[storage.StorageOf[t]]).ToArray());
        }
        return steps;
    }
}
