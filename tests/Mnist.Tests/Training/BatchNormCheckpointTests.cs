using Flow;
using Flow.Train;
using Mnist.Data;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>A checkpoint keeps batch normalization's moving statistics, which are variables but not trainable ones.</summary>
public class BatchNormCheckpointTests
{
    private static (Graph Graph, Tensor X, Tensor Training, BatchNorm Bn, Operation Train) Build()
    {
        var g = new Graph(seed: 1);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var training = g.Placeholder(DType.Bool, Shape.Scalar, "training");
        var bn = Tf.BatchNormalization(x, training, momentum: 0.5);
        using (g.ControlDependencies(g.UpdateOps.ToArray()))
            return (g, x, training, bn, new GradientDescentOptimizer(0.1).Minimize(Tf.ReduceSum(bn.Output * bn.Output)));
    }

    [Fact]
    public void CheckpointRoundTripsTheMovingStatistics()
    {
        using var dir = new TempDirectory();
        var data = new DataSet(new byte[4 * 784], new byte[4], seed: 1);
        var (g, x, training, bn, train) = Build();
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        session.Run(train, new FeedDict { [x] = HostTensor.From([1f, 5, -2, 3, 0, 4, 8, 1, 1], 3, 3), [training] = HostTensor.From([true]) });
        var mean = session.GetValue(bn.MovingMean).ToFloatArray();
        var variance = session.GetValue(bn.MovingVariance).ToFloatArray();
        Assert.NotEqual(new float[3], mean);
        string path = CheckpointFolder.PathFor(dir.Path, 1);
        Checkpoint.Capture("bn", new Dictionary<string, string>(), 1, session, data, [], 0).Save(path);

        var (g2, _, _, bn2, _) = Build();
        using var restored = new Session(g2);
        restored.Run(g2.GlobalVariablesInitializer());
        Checkpoint.Load(path).Restore(restored, data, path);
        Assert.Equal(mean, restored.GetValue(bn2.MovingMean).ToFloatArray());
        Assert.Equal(variance, restored.GetValue(bn2.MovingVariance).ToFloatArray());
    }
}
