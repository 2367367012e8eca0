namespace Flow.Tests;

/// <summary>A random stream's state, as checkpoints save it: a stream set to it draws what the original draws next.</summary>
public class RandomStreamStateTests
{
    [Fact]
    public void StreamSetToAnothersStateContinuesItExactly()
    {
        var a = new RandomStream(7);
        for (int i = 0; i < 13; i++) a.NextUInt64();
        var b = new RandomStream(8) { State = a.State };
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void BadStatesAreRefused()
    {
        var s = new RandomStream(1);
        Assert.Throws<ArgumentException>(() => s.State = [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => s.State = [0, 0, 0, 0]);
    }

    [Fact]
    public void SessionListsTheStreamOfEveryRandomOp()
    {
        var g = new Graph(3);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var w = g.Variable(g.TruncatedNormal(new Shape(4, 2), stddev: 0.1), "w");
        var y = Tf.Dropout(Tf.MatMul(x, w), g.Scalar(0.5f, DType.Float32), name: "drop");
        using var session = new Session(g);
        var streams = session.RandomStreams();
        Assert.Equal(2, streams.Count);
        Assert.Contains("drop", streams.Keys);
        Assert.Same(streams["drop"], session.RandomStreams()["drop"]);
        Assert.NotNull(y);
    }
}
