using System.Text.Json;
using Flow.Summary;
using Tensorboard;
using Mnist.Tests.Cli;
using Mnist.Tests.Data;

namespace Mnist.Tests.Training;

/// <summary>The TensorBoard event file of a real run, read back record by record.</summary>
public class EventFileTests
{
    /// <summary>Every record's CRCs hold, and each logged step of metrics.jsonl is there once with the same values (as float32).</summary>
    internal static void AssertEventsMatchMetrics(string folder)
    {
        string path = Assert.Single(Directory.GetFiles(folder, EventFileWriter.Prefix + "*"));
        var events = EventFileWriter.Read(path);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = events.Where(e => e.Summary?.Value.Any(v => v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue) == true).ToArray();
        var lines = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl"));
        Assert.Equal(lines.Length, scalars.Length);
        foreach (var (line, e) in lines.Zip(scalars))
        {
            using var doc = JsonDocument.Parse(line);
            var m = doc.RootElement;
            Assert.Equal(m.GetProperty("step").GetInt64(), e.Step);
            var values = e.Summary.Value.ToDictionary(v => v.Tag, v => v.SimpleValue);
            foreach (var tag in new[] { "loss", "batch_accuracy", "learning_rate", "validation_accuracy" })
            {
                var json = m.GetProperty(tag);
                if (json.ValueKind == JsonValueKind.Null) { Assert.False(values.ContainsKey(tag), tag); continue; }
                Assert.Equal((float)json.GetDouble(), values[tag]);
            }
        }
    }

    [Fact]
    public void RunFolderHoldsGraphScalarsAndPictures()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        var r = CliRunner.Run("train", "--steps", "250", "--out", run);
        Assert.True(r.ExitCode == 0, r.Stderr);
        AssertEventsMatchMetrics(run);

        var events = EventFileWriter.Read(Directory.GetFiles(run, EventFileWriter.Prefix + "*")[0]);
        Assert.Matches(@"^events\.out\.tfevents\.\d+\..+$", Path.GetFileName(Directory.GetFiles(run, EventFileWriter.Prefix + "*")[0]));
        var graph = GraphDef.Parser.ParseFrom(Assert.Single(events, e => e.WhatCase == Event.WhatOneofCase.GraphDef).GraphDef);
        var nodes = graph.Node.ToDictionary(n => n.Name);
        // softmax regression's own names: y = softmax(x W + b).
        Assert.Equal("Variable", nodes["W"].Op);
        Assert.Equal([784, 10], nodes["W"].Attr["_output_shapes"].List.Shape[0].Dim.Select(d => d.Size));
        Assert.Equal(DataType.DtFloat, nodes["W"].Attr["T"].Type);
        Assert.Contains(graph.Node, n => n.Op == "MatMul" && n.Input.Contains("W"));
        // Name scopes: the backward pass under gradients/<op>_grad/, the updates under the train op's name.
        Assert.Contains(graph.Node, n => n.Op == "MatMul" && n.Name.StartsWith("gradients/MatMul_grad/", StringComparison.Ordinal));
        Assert.Contains(graph.Node, n => n.Name.StartsWith("train/", StringComparison.Ordinal) && n.Input.Contains("W"));
        foreach (var n in graph.Node)
            foreach (var input in n.Input)
                Assert.True(nodes.ContainsKey(input.TrimStart('^').Split(':')[0]), $"{n.Name} reads {input}, which is no node");

        var images = events.SelectMany(e => e.Summary?.Value ?? []).Where(v => v.Image is not null).ToDictionary(v => v.Tag, v => v.Image);
        Assert.Equal(["confusion_matrix", "predictions"], images.Keys.Order());
        foreach (var image in images.Values)
        {
            Assert.True(image.Width > 0 && image.Height > 0);
            Assert.Equal(0x89, image.EncodedImageString[0]);
        }
        Assert.All(events.Where(e => e.Summary?.Value.Any(v => v.Image is not null) == true), e => Assert.Equal(250, e.Step));
        Assert.Contains(events, e => e.Summary?.Value.Any(v => v.Tag == "images_per_second" && v.SimpleValue > 0) == true);
    }
}
