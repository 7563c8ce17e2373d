using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparta.Diagnostics;

/// <summary>
/// What a run recorded about its insides, saved as <c>diagnostics.json</c> in the run directory:
/// <list type="bullet">
/// <item><see cref="Activations"/>: per inspection (epoch 0 = before training, then every N epochs),
/// per layer call in forward order, the output's mean, std, histogram and saturated/dead fractions;</item>
/// <item><see cref="Updates"/>: per epoch, per parameter (<c>layer/kernel</c> is the slides' W), the
/// mean over the epoch's measured optimizer steps of ||ΔW||/||W|| and of the gradient's norm;</item>
/// <item><see cref="Findings"/>: what <see cref="Doctor"/> read from these and the History.</item>
/// </list>
/// The JSON uses snake_case keys; a ratio that does not exist (a parameter still at zero) is written "NaN".
/// <code>
/// var d = RunDiagnostics.Load("runs/mlp-seed0/diagnostics.json");
/// foreach (var layer in d.Activations[^1].Layers) Console.WriteLine($"{layer.Layer} {layer.Std} {layer.Dead}");
/// </code>
/// </summary>
public sealed record RunDiagnostics(
    IReadOnlyList<ActivationInspection> Activations,
    IReadOnlyList<UpdateEpoch> Updates,
    IReadOnlyList<Finding> Findings)
{
    public const string FileName = "diagnostics.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        IgnoreReadOnlyProperties = true, // computed values (a histogram's bin width) are not part of the file
    };

    /// <summary>The monitors' records as they stand (either monitor may be absent), without findings yet.</summary>
    public static RunDiagnostics From(ActivationMonitor? activations, UpdateRatioMonitor? updates) =>
        new(activations?.Records.ToArray() ?? [], updates?.Records.ToArray() ?? [], []);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunDiagnostics FromJson(string json) =>
        JsonSerializer.Deserialize<RunDiagnostics>(json, Json) ?? throw new JsonException("diagnostics: the document is null");

    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Reads a <c>diagnostics.json</c>; a missing or malformed file fails with its path.</summary>
    public static RunDiagnostics Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"diagnostics: no file '{path}'", path);
        try { return FromJson(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"diagnostics: '{path}' is not a diagnostics file: {e.Message}", e); }
    }
}

/// <summary>One look at every layer's outputs on the fixed batch, after <see cref="Epoch"/> epochs (0 = before training).</summary>
public sealed record ActivationInspection(int Epoch, IReadOnlyList<LayerActivation> Layers)
{
    /// <summary>The statistics of the layer (call) of this name.</summary>
    public LayerActivation this[string layer] => Layers.FirstOrDefault(l => l.Layer == layer)
        ?? throw new KeyNotFoundException($"activation inspection at epoch {Epoch}: no layer '{layer}'; known: {string.Join(", ", Layers.Select(l => l.Layer))}");
}

/// <summary>
/// One layer's output statistics (see <see cref="ActivationStatistics"/>): <see cref="Saturated"/> is the
/// fraction of values in a tanh/sigmoid layer's flat region, <see cref="Dead"/> the fraction of ReLU units
/// (channels) never positive on the batch; both 0 for activations where they do not apply.
/// </summary>
public sealed record LayerActivation(string Layer, string Activation, double Mean, double Std, Histogram Histogram, double Saturated, double Dead)
{
    public static LayerActivation Of(string layer, ActivationStatistics statistics) =>
        new(layer, statistics.Activation, statistics.Mean, statistics.Std, statistics.Histogram, statistics.Saturated, statistics.Dead);
}

/// <summary>One epoch's update statistics: how many optimizer steps were measured and each parameter's means over them.</summary>
public sealed record UpdateEpoch(int Epoch, int Steps, IReadOnlyList<ParameterUpdate> Parameters)
{
    public ParameterUpdate this[string parameter] => Parameters.FirstOrDefault(p => p.Parameter == parameter)
        ?? throw new KeyNotFoundException($"updates of epoch {Epoch}: no parameter '{parameter}'; known: {string.Join(", ", Parameters.Select(p => p.Parameter))}");
}

/// <summary>A parameter's mean ||ΔW||/||W|| per step (NaN when it was zero at every step) and mean gradient norm.</summary>
public sealed record ParameterUpdate(string Parameter, double UpdateRatio, double GradientNorm);

/// <summary>A problem the doctor names: what, the evidence in numbers, and what the slides suggest trying.</summary>
public sealed record Finding(string Problem, string Evidence, string Advice)
{
    public override string ToString() => $"{Problem}: {Evidence}. Try: {Advice}.";
}
