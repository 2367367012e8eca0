using System.CommandLine;
using System.CommandLine.Invocation;
using Mnist.Cli;

var root = new RootCommand("Train, inspect and use the TensorFlow MNIST tutorials' digit classifiers, in C#.")
{
    TrainCommand.Create(),
    DataCommand.Create(),
    BenchCommand.Create(),
    ShowCommand.Create(),
    EvalCommand.Create(),
    ServeCommand.Create(),
    ServeBenchCommand.Create(),
};
var parsed = root.Parse(args);
// A bad option gets its one error line (and the hint to use --help), not a page of help.
if (parsed.Action is ParseErrorAction onError) onError.ShowHelp = false;
return parsed.Invoke();
