using System.Buffers.Binary;
using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Fuzz;

/// <summary>
/// Seeded mutations of valid inputs (the example experiment files, NPY, IDX and CSV files): every
/// reading either succeeds or fails with what the command line reports as the user's mistake
/// (<see cref="Failure.IsUserError"/>), never with a fault of Sparta's own, and never hangs.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private const int ExperimentCases = 3000;
    private const int DataCasesPerFormat = 700;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void MutatedExperimentFilesAreReadOrRefusedAsTheUsersMistake()
    {
        string[] seeds = [.. Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText), ExperimentText.Small];
        var random = new Random(20261206);
        for (int i = 0; i < ExperimentCases; i++)
        {
            string text = TextMutations.Apply(seeds[random.Next(seeds.Length)], random);
            AssertReadOrUserError(() => Experiment.Parse(text, "fuzz.yaml").Spec(), $"case {i}:\n{text}");
        }
    }

    [Fact]
    public void MutatedNpyFilesAreReadOrRefusedAsTheUsersMistake()
    {
        var tensor = Tensor.Zeros(3, 4);
        new RandomGenerator(1).FillNormal(tensor.Span, 0, 1);
        string valid = _directory.File("valid.npy");
        NpyFile.Write(valid, tensor);
        FuzzFile(File.ReadAllBytes(valid), "case.npy", path => NpyFile.Read(path), seed: 1);
    }

    [Fact]
    public void MutatedIdxFilesAreReadOrRefusedAsTheUsersMistake()
    {
        // IDX: two zero bytes, the element type (0x08 unsigned byte), the rank, each size big-endian, then the data.
        byte[] images = [0, 0, 0x08, 3, .. BigEndian(5), .. BigEndian(4), .. BigEndian(4), .. Enumerable.Range(0, 80).Select(v => (byte)v)];
        byte[] labels = [0, 0, 0x08, 1, .. BigEndian(5), 0, 1, 2, 1, 0];
        FuzzFile(images, "images.idx", path => IdxFile.ReadTensor(path), seed: 2);
        FuzzFile(labels, "labels.idx", path => IdxFile.ReadLabels(path, 3), seed: 3);
    }

    [Fact]
    public void MutatedCsvFilesAreReadOrRefusedAsTheUsersMistake()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "examples", "data", "penguins.csv"));
        byte[] valid = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(25)) + "\n");
        FuzzFile(valid, "table.csv", path => CsvReader.Read(path), seed: 4);
    }

    private void FuzzFile(byte[] valid, string name, Action<string> read, int seed)
    {
        var random = new Random(seed);
        string path = _directory.File(name);
        for (int i = 0; i < DataCasesPerFormat; i++)
        {
            byte[] bytes = ByteMutations.Apply(valid, random);
            File.WriteAllBytes(path, bytes);
            AssertReadOrUserError(() => read(path), $"case {i} of {name}: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64)))}");
        }
    }

    private static void AssertReadOrUserError(Action read, string input)
    {
        var reading = Task.Run(read);
        try
        {
            Assert.True(reading.Wait(Limit), $"reading did not end within {Limit.TotalSeconds} s: {input}");
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            var error = e.InnerExceptions[0];
            Assert.True(Failure.IsUserError(error), $"a fault, not a user error: {error}\ninput {input}");
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
