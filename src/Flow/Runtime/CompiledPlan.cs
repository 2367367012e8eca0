using Flow.Backends;

namespace Flow;

/// <summary>
/// One (fetches, targets, feed shapes) compiled for a backend: the ops it needs in order, each with
/// its kernel and pre-planned buffers. Running it allocates nothing.
/// </summary>
internal sealed class CompiledPlan : IDisposable
{
    internal readonly record struct Step(Operation Op, IKernel Kernel, IDeviceBuffer[] Inputs, IDeviceBuffer[] Outputs);
    internal readonly record struct Slot(Tensor Tensor, IDeviceBuffer Buffer, Shape Shape);

    private readonly Step[] _steps;
    private readonly List<IDeviceBuffer> _owned;

    internal CompiledPlan(Step[] steps, Slot[] feeds, Slot[] fetches, Operation[] variablesRead,
        Operation[] variablesWritten, List<IDeviceBuffer> owned)
    {
        _steps = steps;
        Feeds = feeds;
        Fetches = fetches;
        VariablesRead = variablesRead;
        VariablesWritten = variablesWritten;
        _owned = owned;
    }

    public Slot[] Feeds { get; }
    public Slot[] Fetches { get; }
    /// <summary>Variables the plan reads before any write of its own: they must be initialised.</summary>
    public Operation[] VariablesRead { get; }
    public Operation[] VariablesWritten { get; }
    public int StepCount => _steps.Length;
    public IEnumerable<Operation> Ops => _steps.Select(s => s.Op);

    public void Execute(OpProfile? profile)
    {
        if (profile is null)
        {
            foreach (ref readonly var step in _steps.AsSpan())
                step.Kernel.Run(step.Inputs, step.Outputs);
            return;
        }
        foreach (ref readonly var step in _steps.AsSpan())
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            step.Kernel.Run(step.Inputs, step.Outputs);
            profile.Add(step.Op, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }

    public void Dispose()
    {
        foreach (var b in _owned) b.Dispose();
        _owned.Clear();
    }
}
