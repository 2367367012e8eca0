namespace Flow;

/// <summary>
/// One item of a mixed fetch list, as in TF's <c>sess.run([train, loss])</c>: a tensor, whose value comes
/// back, or an op, which is run and gives back null. Converts implicitly from <see cref="Tensor"/>,
/// <see cref="Variable"/> and <see cref="Operation"/>, so <c>session.Run([train, loss], feeds)</c> compiles.
/// </summary>
public readonly struct Fetch
{
    private Fetch(Tensor? tensor, Operation? op) => (Tensor, Operation) = (tensor, op);

    public Tensor? Tensor { get; }
    public Operation? Operation { get; }

    public static implicit operator Fetch(Tensor t) => new(t, null);
    public static implicit operator Fetch(Variable v) => new(v.Value, null);
    public static implicit operator Fetch(Operation op) => new(null, op);
}
