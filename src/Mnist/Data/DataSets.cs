namespace Mnist.Data;

/// <summary>The three MNIST splits, as TensorFlow's read_data_sets returns them.</summary>
public sealed class DataSets(DataSet train, DataSet validation, DataSet test)
{
    public DataSet Train { get; } = train;
    public DataSet Validation { get; } = validation;
    public DataSet Test { get; } = test;
}
