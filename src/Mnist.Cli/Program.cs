return Mnist.Cli.MnistCommandLine.Run(args);
