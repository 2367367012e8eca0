namespace Mnist.Data;

/// <summary>
/// Where a data set's file sits in a data folder: <c>NAME.gz</c> (as the data sets are published, and as
/// TensorFlow's read_data_sets reads them) is preferred when both it and the raw <c>NAME</c> are there.
/// </summary>
public static class DataFolder
{
    /// <summary>The gzipped file's path when it exists, else the raw file's (which may not exist either).</summary>
    public static string PathOf(string directory, MnistFile file)
    {
        var gzip = Path.Combine(directory, file.GzipName);
        return Path.Exists(gzip) ? gzip : Path.Combine(directory, file.Name);
    }
}
