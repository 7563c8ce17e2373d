using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Sparta.Data.Preprocessing;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Serialization;

public sealed partial class ModelFile
{
    /// <summary>Reads a model file or checkpoint; any problem is a <see cref="ModelFileException"/> naming the file and what is wrong.</summary>
    public static ModelFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new ModelFileException(path, "does not exist");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return Read(path, zip);
        }
        catch (InvalidDataException e) { throw new ModelFileException(path, $"is not a zip archive or is damaged ({e.Message})", e); }
    }

    private static ModelFile Read(string path, ZipArchive zip)
    {
        Exception Fail(string problem) => new ModelFileException(path, problem);
        var config = ReadJson<ConfigDocument>(path, zip, ConfigEntry);
        if (config.Format != Format) throw Fail($"{ConfigEntry}: format is '{config.Format}', expected '{Format}'");
        if (config.FormatVersion != FormatVersion)
            throw Fail($"{ConfigEntry}: format version {config.FormatVersion} is not supported (this build reads version {FormatVersion})");
        Model model;
        try { model = Model.FromConfig(config.Model ?? throw new FormatException("missing key 'model'")); }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelFileException(path, $"{ConfigEntry}: {e.Message}", e);
        }

        var index = ReadJson<WeightsIndex>(path, zip, WeightsIndexEntry);
        if (index.DType != "float32" || index.ByteOrder != "little")
            throw Fail($"{WeightsIndexEntry}: weights are {index.DType ?? "?"} {index.ByteOrder ?? "?"}-endian, expected float32 little-endian");
        var arrays = TensorBlob.Read(ReadBytes(path, zip, WeightsEntry), index.Tensors ?? [], p => Fail($"{WeightsEntry}: {p}"));
        var weights = arrays.ToDictionary(a => a.Key, a => Tensor.FromArray(a.Value.Values, a.Value.Shape), StringComparer.Ordinal);
        try { model.SetWeights(weights); }
        catch (ArgumentException e) { throw new ModelFileException(path, $"{WeightsEntry}: {e.Message}", e); }

        TrainingDocument? training = null;
        Dictionary<string, float[]>? slots = null;
        if (zip.GetEntry(TrainingEntry) is not null)
        {
            training = ReadJson<TrainingDocument>(path, zip, TrainingEntry);
            slots = TensorBlob.Read(ReadBytes(path, zip, OptimizerEntry), training.Slots ?? [], p => Fail($"{OptimizerEntry}: {p}"))
                .ToDictionary(s => s.Key, s => s.Value.Values, StringComparer.Ordinal);
            if (training.Epoch < 0) throw Fail($"{TrainingEntry}: epoch must be non-negative, got {training.Epoch}");
        }

        var preprocessing = new Dictionary<string, PreprocessingPipeline>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(PreprocessingFolder, StringComparison.Ordinal) && e.FullName.EndsWith(".json", StringComparison.Ordinal)))
        {
            string input = entry.FullName[PreprocessingFolder.Length..^".json".Length];
            try { preprocessing[input] = PreprocessingPipeline.FromJson(ReadText(path, zip, entry.FullName)); }
            catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
            {
                throw new ModelFileException(path, $"{entry.FullName}: {e.Message}", e);
            }
        }
        string? experiment = zip.GetEntry(ExperimentEntry) is null ? null : ReadText(path, zip, ExperimentEntry);
        return new ModelFile(path, model, training, slots, preprocessing, experiment);
    }

    private static T ReadJson<T>(string path, ZipArchive zip, string name) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ReadText(path, zip, name), FileJson.Options)
                ?? throw new ModelFileException(path, $"{name}: holds null");
        }
        catch (JsonException e) { throw new ModelFileException(path, $"{name}: invalid JSON ({e.Message})", e); }
    }

    private static string ReadText(string path, ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(path, zip, name));

    private static byte[] ReadBytes(string path, ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new ModelFileException(path, $"lacks entry '{name}'");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
