using Flow.Backends;

namespace Flow;

/// <summary>Where a plan finds the variables' buffers (they outlive plans: the session owns them).</summary>
internal interface IVariableStore
{
    IDeviceBuffer BufferOf(Operation variableOp);
}

/// <summary>Where a plan finds the random stream of each stateful op (kept by the session across plans).</summary>
internal interface IRandomStreams
{
    RandomStream For(Operation op);
}
