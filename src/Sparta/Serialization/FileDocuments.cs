using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sparta.Serialization;

// The JSON entries of a model file. Components are stored as their registered configs
// ({"name": "adam", ...}), never as .NET type names.

internal sealed class ConfigDocument
{
    [JsonPropertyName("format")] public string? Format { get; set; }
    [JsonPropertyName("format_version")] public int FormatVersion { get; set; }
    [JsonPropertyName("model")] public JsonObject? Model { get; set; }
}

internal sealed class WeightsIndex
{
    [JsonPropertyName("dtype")] public string? DType { get; set; }
    [JsonPropertyName("byte_order")] public string? ByteOrder { get; set; }
    [JsonPropertyName("tensors")] public List<BlobEntry>? Tensors { get; set; }
}

internal sealed class TrainingDocument
{
    [JsonPropertyName("optimizer")] public JsonObject? Optimizer { get; set; }
    [JsonPropertyName("loss")] public JsonObject? Loss { get; set; }
    [JsonPropertyName("metrics")] public List<JsonObject>? Metrics { get; set; }
    [JsonPropertyName("outputs")] public List<OutputDocument>? Outputs { get; set; }
    [JsonPropertyName("iterations")] public long Iterations { get; set; }
    [JsonPropertyName("schedule_state")] public Dictionary<string, double>? ScheduleState { get; set; }
    [JsonPropertyName("slots")] public List<BlobEntry>? Slots { get; set; }
    [JsonPropertyName("epoch")] public int Epoch { get; set; }
    [JsonPropertyName("seed")] public ulong Seed { get; set; }
    [JsonPropertyName("dropout_calls")] public Dictionary<string, long>? DropoutCalls { get; set; }
    [JsonPropertyName("history")] public HistoryDocument? History { get; set; }
    [JsonPropertyName("callbacks")] public Dictionary<string, Dictionary<string, double>>? Callbacks { get; set; }
}

/// <summary>One output's loss, weight and metrics in a checkpoint of a model trained on several outputs.</summary>
internal sealed class OutputDocument
{
    [JsonPropertyName("output")] public string? Output { get; set; }
    [JsonPropertyName("loss")] public JsonObject? Loss { get; set; }
    [JsonPropertyName("weight")] public double Weight { get; set; } = 1;
    [JsonPropertyName("metrics")] public List<JsonObject>? Metrics { get; set; }
}

internal sealed class HistoryDocument
{
    [JsonPropertyName("epochs")] public List<int>? Epochs { get; set; }
    [JsonPropertyName("values")] public Dictionary<string, List<double>>? Values { get; set; }
}

internal static class FileJson
{
    /// <summary>Infinity and NaN are legal values here (a plateau schedule's best before any epoch, a diverged loss).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
