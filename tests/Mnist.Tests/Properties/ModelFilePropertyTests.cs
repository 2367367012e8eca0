using CsCheck;
using Flow;
using Mnist.Models;
using Mnist.Tests.Data;

namespace Mnist.Tests.Properties;

/// <summary>
/// Random and mutated bytes through the safetensors reader: every input either loads or is one
/// <see cref="ModelFileException"/> naming the file, and no input costs more memory than its size allows.
/// </summary>
public sealed class ModelFilePropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Bytes a reader may allocate for a file: the header and tensors (each at most the file's size), the
    /// parsed JSON document (a few times the header) and fixed costs (the stream's buffer, names, dictionaries).</summary>
    private static long Allowance(long fileSize) => 4 * fileSize + (256 << 10);

    private static readonly byte[] Valid = ValidFile();

    private static byte[] ValidFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("valid.safetensors");
        ModelFile.Save(path, "softmax", new Dictionary<string, string> { ["steps"] = "1000", ["seed"] = "1" }, new Dictionary<string, HostTensor>
        {
            ["W"] = HostTensor.From([1f, 2f, 3f, 4f, 5f, 6f], 2, 3),
            ["b"] = HostTensor.From([0.5, -1.5], 2),
            ["n"] = HostTensor.Scalar(7),
        });
        return File.ReadAllBytes(path);
    }

    /// <summary>A valid file with a few bytes overwritten, inserted or removed, or cut short.</summary>
    private static readonly Gen<byte[]> Mutated = Gen.OneOf(
        Gen.Select(Gen.Int[0, Valid.Length - 1].Array[1, 6], Gen.Byte.Array[6], (at, values) =>
        {
            var bytes = (byte[])Valid.Clone();
            for (int i = 0; i < at.Length; i++) bytes[at[i]] = values[i % values.Length];
            return bytes;
        }),
        Gen.Select(Gen.Int[0, Valid.Length], Gen.Byte.Array[1, 16], (at, inserted) => Concat(Valid[..at], inserted, Valid[at..])),
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[1, 32], (at, n) => Concat(Valid[..at], Valid[Math.Min(Valid.Length, at + n)..])),
        Gen.Int[0, Valid.Length].Select(n => Valid[..n]));

    /// <summary>Bytes of no structure, and a plausible length field (often small, sometimes huge) before random bytes.</summary>
    private static readonly Gen<byte[]> Random = Gen.OneOf(
        Gen.Byte.Array[0, 600],
        Gen.Select(Gen.OneOf(Gen.ULong[0, 700], Gen.ULong), Gen.Byte.Array[0, 600], (length, rest) =>
            Concat(BitConverter.GetBytes(length), rest)));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void MutatedFilesLoadOrFailNamingTheFile() => Check(Mutated, iterations: 3000);

    [Fact]
    public void RandomBytesLoadOrFailNamingTheFile() => Check(Random, iterations: 2000);

    [Fact]
    public void TheUnmutatedFileLoads() => Assert.Equal("softmax", Load(Valid).ModelName);

    private void Check(Gen<byte[]> gen, int iterations) => gen.Sample(bytes =>
    {
        string path = _dir.File("case.safetensors");
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            ModelFile.Load(path);
        }
        catch (ModelFileException e)
        {
            Assert.StartsWith($"model file {path}: ", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= Allowance(bytes.Length), $"{allocated} bytes allocated for a {bytes.Length}-byte file");
    }, iter: iterations, threads: 1);

    private ModelFile Load(byte[] bytes)
    {
        string path = _dir.File("one.safetensors");
        File.WriteAllBytes(path, bytes);
        return ModelFile.Load(path);
    }
}
