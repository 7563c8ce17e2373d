using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Training;

namespace Sparta.Serialization;

public sealed partial class ModelFile
{
    private const string ConfigEntry = "config.json";
    private const string WeightsEntry = "weights.bin";
    private const string WeightsIndexEntry = "weights.json";
    private const string TrainingEntry = "training.json";
    private const string OptimizerEntry = "optimizer.bin";
    private const string PreprocessingFolder = "preprocessing/";
    private const string ExperimentEntry = "experiment.yaml";

    private static void Write(string path, Model model, Trainer? trainer, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing, string? experimentYaml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        string? directory = System.IO.Path.GetDirectoryName(full);
        if (directory is not null) Directory.CreateDirectory(directory);
        // Same directory, so the rename is atomic: a reader sees the old file or the new one, never half.
        string temporary = TemporaryFiles.For(full);
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                WriteJson(zip, ConfigEntry, new ConfigDocument { Format = Format, FormatVersion = FormatVersion, Model = model.GetConfig() });
                var weights = model.Parameters.Select(p => (p.Name, p.Value)).Concat(model.State.Select(s => (s.Name, s.Value)));
                var index = WriteBlob(zip, WeightsEntry, weights.Select(w => (w.Name, w.Value.Shape.ToArray(), (ReadOnlyMemory<float>)w.Value.ToArray())));
                WriteJson(zip, WeightsIndexEntry, new WeightsIndex { DType = "float32", ByteOrder = "little", Tensors = index });
                if (trainer is not null) WriteTraining(zip, trainer);
                foreach (var (input, pipeline) in preprocessing ?? new Dictionary<string, PreprocessingPipeline>())
                    WriteText(zip, PreprocessingFolder + input + ".json", pipeline.ToJson());
                if (experimentYaml is not null) WriteText(zip, ExperimentEntry, experimentYaml);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void WriteTraining(ZipArchive zip, Trainer trainer)
    {
        var state = trainer.Optimizer.ExportState();
        var slots = WriteBlob(zip, OptimizerEntry, state.Slots.Select(s => (s.Key, new[] { s.Value.Length }, (ReadOnlyMemory<float>)s.Value)));
        var history = trainer.History;
        WriteJson(zip, TrainingEntry, new TrainingDocument
        {
            Optimizer = Node(trainer.Optimizer.GetConfig().ToJson()),
            Loss = Node(trainer.Loss.GetConfig().ToJson()),
            Metrics = trainer.Metrics.Select(m => Node(m.GetConfig().ToJson())).ToList(),
            Outputs = trainer.Outputs.Count == 0 ? null : trainer.Outputs.Select(o => new OutputDocument
            {
                Output = o.Output,
                Loss = Node(o.Loss.GetConfig().ToJson()),
                Weight = o.Weight,
                Metrics = (o.Metrics ?? []).Select(m => Node(m.GetConfig().ToJson())).ToList(),
            }).ToList(),
            Iterations = state.Iterations,
            ScheduleState = state.Schedule.ToDictionary(p => p.Key, p => p.Value),
            Slots = slots,
            Epoch = trainer.Epoch,
            Seed = trainer.Seed,
            DropoutCalls = trainer.Model.Layers.OfType<Dropout>().ToDictionary(d => d.Name, d => d.Calls),
            Callbacks = trainer.CallbackState.ToDictionary(c => c.Key, c => c.Value.ToDictionary(v => v.Key, v => v.Value)),
            History = new HistoryDocument
            {
                Epochs = history.Epochs.ToList(),
                Values = history.Keys.ToDictionary(k => k, k => history[k].ToList()),
            },
        });
    }

    private static JsonObject Node(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static List<BlobEntry> WriteBlob(ZipArchive zip, string name, IEnumerable<(string, int[], ReadOnlyMemory<float>)> arrays)
    {
        // Weights are incompressible noise: store them, which also keeps saving fast.
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        return TensorBlob.Write(stream, arrays);
    }

    private static void WriteJson<T>(ZipArchive zip, string name, T document) =>
        WriteText(zip, name, JsonSerializer.Serialize(document, FileJson.Options));

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open());
        writer.Write(text);
    }
}
