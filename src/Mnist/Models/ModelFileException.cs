namespace Mnist.Models;

/// <summary>A model file that is missing, truncated or corrupt; the message names the file and the defect.</summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException(string message) : base(message) { }

    public ModelFileException(string message, Exception inner) : base(message, inner) { }
}
