namespace Flow;

/// <summary>
/// A prepared run with fixed fetches, fed placeholders and targets. <see cref="Run"/> reuses its plan
/// and result tensors while the feed shapes stay the same, so a training step allocates nothing.
/// The returned tensors are overwritten by the next call.
/// </summary>
public sealed class Callable
{
    private readonly Session _session;
    private readonly Tensor[] _fetches, _feeds;
    private readonly Operation[] _targets;
    private CompiledPlan? _plan;
    private Shape[] _planShapes = [];
    private HostTensor[] _results = [];

    internal Callable(Session session, Tensor[] fetches, Tensor[] feeds, Operation[] targets)
    {
        (_session, _fetches, _feeds, _targets) = (session, fetches, feeds, targets);
    }

    public HostTensor[] Run(params HostTensor[] feedValues)
    {
        if (feedValues.Length != _feeds.Length)
            throw new FeedException($"this callable takes {_feeds.Length} feeds ({string.Join(", ", _feeds.Select(f => f.Op.Name))}), got {feedValues.Length}");
        if (_plan is null || !SameShapes(feedValues))
        {
            _plan = _session.PlanFor(_fetches, _targets, _feeds, feedValues);
            _planShapes = feedValues.Select(v => v.Shape).ToArray();
            _results = _plan.Fetches.Select(f => HostTensor.Zeros(f.Tensor.DType, f.Shape)).ToArray();
        }
        else
            for (int i = 0; i < feedValues.Length; i++)
                if (feedValues[i].DType != _feeds[i].DType)
                    throw new FeedException($"placeholder '{_feeds[i].Op.Name}' expects {_feeds[i].DType.Name()} but the feed is {feedValues[i].DType.Name()}");
        _session.Execute(_plan, _feeds, feedValues, _results);
        return _results;
    }

    private bool SameShapes(HostTensor[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!values[i].Shape.Equals(_planShapes[i])) return false;
        return true;
    }
}
