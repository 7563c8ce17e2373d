using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparta.Training.Callbacks;

/// <summary>
/// Writes the History after every epoch as CSV (one row per epoch, a column per key, as Keras'
/// CSVLogger) or as JSON (<c>{"epochs": [...], "loss": [...], ...}</c>), chosen by the file
/// extension (.csv or .json). The whole file is rewritten each epoch, so it is complete whenever
/// a run stops, and a resumed run's file continues its History.
/// </summary>
public sealed class HistoryLogger : Callback
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public HistoryLogger(string path)
    {
        string extension = System.IO.Path.GetExtension(path ?? "").ToLowerInvariant();
        if (extension is not (".csv" or ".json"))
            throw new ArgumentException($"history logger: path must end in .csv or .json, got '{path}'", nameof(path));
        Path = path!;
        IsCsv = extension == ".csv";
    }

    public string Path { get; }
    public bool IsCsv { get; }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(Path, IsCsv ? ToCsv(trainer.History) : ToJson(trainer.History));
    }

    public static string ToCsv(History history)
    {
        var keys = history.Keys.ToArray();
        var text = new StringBuilder("epoch");
        foreach (string key in keys) text.Append(',').Append(key);
        text.Append('\n');
        for (int i = 0; i < history.Epochs.Count; i++)
        {
            text.Append(history.Epochs[i].ToString(CultureInfo.InvariantCulture));
            foreach (string key in keys) text.Append(',').Append(history[key][i].ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return text.ToString();
    }

    public static string ToJson(History history)
    {
        var document = new Dictionary<string, object> { ["epochs"] = history.Epochs };
        foreach (string key in history.Keys) document[key] = history[key];
        return JsonSerializer.Serialize(document, Json);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote (a run's history.json) back into a History.</summary>
    public static History FromJson(string json)
    {
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, Json)
            ?? throw new JsonException("history: the document is null");
        if (!document.TryGetValue("epochs", out var epochs) || epochs.ValueKind != JsonValueKind.Array)
            throw new JsonException("history: no 'epochs' list");
        var columns = document.Where(p => p.Key != "epochs")
            .Select(p => (p.Key, Values: p.Value.Deserialize<double[]>(Json) ?? throw new JsonException($"history: '{p.Key}' is null"))).ToArray();
        var epochNumbers = epochs.Deserialize<int[]>(Json)!;
        foreach (var (key, values) in columns)
            if (values.Length != epochNumbers.Length)
                throw new JsonException($"history: '{key}' has {values.Length} values for {epochNumbers.Length} epochs");
        var history = new History();
        for (int i = 0; i < epochNumbers.Length; i++)
            history.Add(epochNumbers[i], columns.ToDictionary(c => c.Key, c => c.Values[i], StringComparer.Ordinal));
        return history;
    }
}
