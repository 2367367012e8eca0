using System.CommandLine;
using Mnist.Cli;

var root = new RootCommand("Train, inspect and use the TensorFlow MNIST tutorials' digit classifiers, in C#.")
{
    TrainCommand.Create(),
    DataCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
