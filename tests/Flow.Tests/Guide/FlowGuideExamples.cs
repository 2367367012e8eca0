using Flow.Train;

namespace Flow.Tests.Guide;

/// <summary>
/// The code of docs/flow.md, compiled and run: each snippet there is a run of lines here (or in src/), which
/// <see cref="FlowGuideSnippetTests"/> checks, so the guide cannot drift from code that builds and passes.
/// </summary>
public class FlowGuideExamples
{
    [Fact]
    public void TheTfIdiomsRunAsTheGuideShowsThem()
    {
        var g = new Graph(seed: 1);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");                // tf.placeholder(tf.float32, [None, 3])
        var keepProb = Tf.PlaceholderWithDefault(g.Scalar(1), Shape.Scalar, "keep_prob");
        var w = g.Variable(Tf.TruncatedNormal(g, new Shape(3, 2), stddev: 0.1), "w");
        var b = g.Variable(g.Zeros(new Shape(2)), "b");
        var hidden = Tf.MatMul(x, w);
        var y = Tf.Dropout(hidden + b, keepProb);
        var loss = Tf.ReduceMean(Tf.Square(y - 1.0));
        var train = new GradientDescentOptimizer(0.1).Minimize(loss);

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = HostTensor.From([1.0, 2.0, 3.0], 1, 3), [keepProb] = HostTensor.Scalar(0.5) };
        var results = session.Run([train, loss], feeds);                             // [null, loss value]
        double lossBefore = results[1]!.ScalarValue();

        Assert.Null(results[0]);
        Assert.InRange(lossBefore, 0.01, 10);

        var grads = Tf.Gradients([loss], [w, b]);                                     // tf.gradients(loss, [w, b])
        var values = session.Run([grads[0]!, grads[1]!], feeds);

        Assert.Equal(new Shape(3, 2), values[0].Shape);
        Assert.Equal(new Shape(2), values[1].Shape);

        var saved = g.GlobalVariables.ToDictionary(v => v.Name, session.GetValue);   // save every variable by name
        session.Run(train, feeds);
        foreach (var v in g.GlobalVariables) session.SetValue(v, saved[v.Name]);       // restore them

        Assert.Equal(saved["w"].ToFloatArray(), session.GetValue(w).ToFloatArray());

        var fromHidden = session.Run(y, new FeedDict { [hidden] = HostTensor.From([0.5, 0.5], 1, 2) }); // x is not needed

        Assert.Equal(saved["b"].ToFloatArray().Select(v => v + 0.5f), fromHidden.ToFloatArray());
    }

    [Fact]
    public void NameScopesPrefixNames()
    {
        var g = new Graph();
        using (g.NameScope("layer2"))
        {
            var w2 = g.Variable(g.Ones(new Shape(2, 1)), "w");                         // named "layer2/w"
            Assert.Equal("layer2/w", w2.Name);
        }
    }

    [Fact]
    public void AnAutoencoderLearnsToReconstructBarsItHasNotSeen()
    {
        // 8×8 images, each the sum of two of sixteen bars (eight rows, eight columns) at random strengths.
        static HostTensor Bars(int count, int seed)
        {
            var rng = new Random(seed);
            var images = new float[count * 64];
            for (int i = 0; i < count; i++)
                for (int k = 0; k < 2; k++)
                {
                    int bar = rng.Next(16);
                    float strength = 0.5f + rng.NextSingle() / 2;
                    for (int j = 0; j < 8; j++)
                        images[i * 64 + (bar < 8 ? bar * 8 + j : j * 8 + bar - 8)] += strength;
                }
            return HostTensor.From(images, count, 64);
        }

        var g = new Graph(seed: 1);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 64), "x");
        Variable Weights(int inputs, int outputs) => g.Variable(Tf.TruncatedNormal(g, new Shape(inputs, outputs), stddev: 0.1), "w");
        Variable Biases(int outputs) => g.Variable(g.Zeros(new Shape(outputs)), "b");
        Tensor code, reconstruction;
        using (g.NameScope("encoder"))
        {
            var w = Weights(64, 24);
            code = Tf.Relu(Tf.MatMul(x, w) + Biases(24));                             // 64 pixels → 24 features
        }
        using (g.NameScope("decoder"))
        {
            var w = Weights(24, 64);
            reconstruction = Tf.MatMul(code, w) + Biases(64);
        }
        var loss = Tf.ReduceMean(Tf.Square(reconstruction - x));
        var train = new AdamOptimizer(0.01).Minimize(loss);

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var trainingSet = new FeedDict { [x] = Bars(512, seed: 2) };
        var testSet = new FeedDict { [x] = Bars(256, seed: 3) };
        double before = session.Run(loss, testSet).ScalarValue();
        for (int step = 0; step < 400; step++) session.Run([train, loss], trainingSet);
        double after = session.Run(loss, testSet).ScalarValue();

        Assert.True(after < before / 100, $"test-set reconstruction loss went from {before:F5} to {after:F5}, not below a hundredth");
    }
}
