using System.Buffers.Binary;
using System.Text;
using Flow;
using Mnist.Models;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["learning_rate"] = "0.5",
        ["steps"] = "1000",
    };

    private static Dictionary<string, HostTensor> Tensors() => new()
    {
        // Awkward values (NaN payload, -0, subnormal) prove the bytes travel untouched.
        ["W"] = HostTensor.From([1.5f, -0f, float.NaN, float.Epsilon, BitConverter.Int32BitsToSingle(0x7fc00123), 3e38f], 3, 2),
        ["b"] = HostTensor.From([0.1, -2.25], 2),
        ["global_step"] = HostTensor.Scalar(1000),
        ["mask"] = HostTensor.From([true, false, true], 3),
    };

    private string SaveSample(string name = "model.safetensors")
    {
        string path = _dir.File(name);
        ModelFile.Save(path, "softmax", Settings, Tensors());
        return path;
    }

    [Fact]
    public void RoundTripIsBitIdentical()
    {
        string path = SaveSample();
        var model = ModelFile.Load(path);

        Assert.Equal("softmax", model.ModelName);
        Assert.Equal(Settings, model.Settings);
        var expected = Tensors();
        Assert.Equal(expected.Keys.Order(), model.Tensors.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.DType, model.Tensors[name].DType);
            Assert.Equal(tensor.Shape, model.Tensors[name].Shape);
            Assert.Equal(tensor.AsBytes().ToArray(), model.Tensors[name].AsBytes().ToArray());
        }

        string again = _dir.File("again.safetensors");
        ModelFile.Save(again, model.ModelName, model.Settings, model.Tensors);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void HeaderIsSortedSafetensorsJsonAlignedToEightBytes()
    {
        byte[] bytes = File.ReadAllBytes(SaveSample());
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.StartsWith("{\"W\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]}", header);
        Assert.Contains("\"__metadata__\":{\"model\":\"softmax\",\"settings\":", header);
        // Ordinal order: upper case, then the underscore of __metadata__, then lower case.
        Assert.True(header.IndexOf("\"W\"") < header.IndexOf("__metadata__"));
        Assert.True(header.IndexOf("__metadata__") < header.IndexOf("\"b\""));
        Assert.True(header.IndexOf("\"b\"") < header.IndexOf("\"global_step\""));
        Assert.InRange(header.Length - header.TrimEnd(' ').Length, 0, 7);
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaries()
    {
        string path = _dir.File("model.safetensors");
        File.WriteAllText(path, "old");
        ModelFile.Save(path, "softmax", Settings, Tensors());
        Assert.Equal("softmax", ModelFile.Load(path).ModelName);
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        string path = _dir.File("nope.safetensors");
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(5, "truncated")]
    [InlineData(40, "bad header length")]
    [InlineData(-3, "out of range")]
    public void TruncatedFileIsRejected(int keep, string what)
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        // A negative count keeps all but that many bytes: the data section loses its tail.
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);
        AssertRejected(path, what);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRejected()
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        File.WriteAllBytes(path, bytes);
        AssertRejected(path, "bad header length");
    }

    [Theory]
    [InlineData("\"data_offsets\":[0,24]", "\"data_offsets\":[0,25]", "do not match shape")]
    [InlineData("\"data_offsets\":[0,24]", "\"data_offsets\":[0,99999]", "out of range")]
    [InlineData("\"shape\":[3,2]", "\"shape\":[3,3]", "do not match shape")]
    [InlineData("\"dtype\":\"F32\"", "\"dtype\":\"Q32\"", "unknown dtype \"Q32\"")]
    [InlineData("{\"W\":{", "{\"W\":[", "not valid JSON")]
    [InlineData("\"model\":\"softmax\"", "\"mod_l\":\"softmax\"", "naming the model")]
    public void CorruptHeaderIsRejected(string find, string replace, string what)
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.Contains(find, header);
        // Same-length edits keep the header length valid, so only the intended defect remains.
        string edited = header.Replace(find, replace).PadRight(headerLength)[..headerLength];
        Encoding.UTF8.GetBytes(edited).CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        AssertRejected(path, what);
    }

    private static void AssertRejected(string path, string what)
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(what, e.Message);
    }
}
