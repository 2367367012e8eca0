namespace Flow;

/// <summary>
/// A prepared run with fixed fetches, fed tensors and targets. <see cref="Run"/> reuses its plan
/// and result tensors while the feed shapes stay the same, so a training step allocates nothing (a feed
/// of another type than its tensor's is converted, which copies it: feed the tensor's type on a hot path).
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
    private readonly HostTensor[] _conformed;

    internal Callable(Session session, Tensor[] fetches, Tensor[] feeds, Operation[] targets)
    {
        (_session, _fetches, _feeds, _targets) = (session, fetches, feeds, targets);
        _conformed = new HostTensor[feeds.Length];
    }

    public HostTensor[] Run(params HostTensor[] feedValues)
    {
        if (feedValues.Length != _feeds.Length)
            throw new FeedException($"this callable takes {_feeds.Length} feeds ({string.Join(", ", _feeds.Select(f => f.Op.Name))}), got {feedValues.Length}");
        for (int i = 0; i < feedValues.Length; i++) _conformed[i] = FeedConversion.Conform(_feeds[i], feedValues[i]);
        if (_plan is null || !SameShapes(_conformed))
        {
            _plan = _session.PlanFor(_fetches, _targets, _feeds, _conformed);
            _planShapes = _conformed.Select(v => v.Shape).ToArray();
            _results = _plan.Fetches.Select(f => HostTensor.Zeros(f.Tensor.DType, f.Shape)).ToArray();
        }
        _session.Execute(_plan, _feeds, _conformed, _results);
        return _results;
    }

    private bool SameShapes(HostTensor[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!values[i].Shape.Equals(_planShapes[i])) return false;
        return true;
    }
}
