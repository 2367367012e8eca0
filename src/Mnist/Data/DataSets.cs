namespace Mnist.Data;

/// <summary>The three splits of a data set, as TensorFlow's read_data_sets returns them.</summary>
/// <param name="dataSet">Which data set they are (null: MNIST, as for fake data).</param>
public sealed class DataSets(DataSet train, DataSet validation, DataSet test, KnownDataSet? dataSet = null)
{
    public DataSet Train { get; } = train;
    public DataSet Validation { get; } = validation;
    public DataSet Test { get; } = test;
    public KnownDataSet DataSet { get; } = dataSet ?? KnownDataSets.Mnist;
}
