using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Output;

/// <summary>
/// Trials as a table (CSV, columns as Optuna's trials_dataframe: number, value (values_0,
/// values_1, ... for several objectives), datetimes, duration, params_*, state) or as JSON
/// (everything a trial holds, attributes included).
/// </summary>
public static class TrialExport
{
    /// <summary>Writes CSV or JSON by the file's extension.</summary>
    public static void Write(string path, IReadOnlyList<FrozenTrial> trials)
    {
        string text = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ToCsv(trials),
            ".json" => ToJson(trials),
            _ => throw new ArgumentException($"export: expected a .csv or .json file, got '{path}'"),
        };
        Sparta.Serialization.AtomicText.Write(path, text);
    }

    public static string ToCsv(IReadOnlyList<FrozenTrial> trials)
    {
        var names = trials.SelectMany(t => t.Distributions.Keys).Distinct().ToList();
        int objectives = trials.Select(t => t.Values?.Count ?? 1).DefaultIfEmpty(1).Max();
        var valueColumns = objectives == 1 ? ["value"] : Enumerable.Range(0, objectives).Select(i => $"values_{i}").ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "number" }.Concat(valueColumns).Concat(["datetime_start", "datetime_complete", "duration_s"])
            .Concat(names.Select(n => Quote("params_" + n))).Append("state")));
        foreach (var t in trials)
        {
            var cells = new List<string> { t.Number.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(Enumerable.Range(0, objectives).Select(i => t.Values is { } v && i < v.Count ? v[i].ToString("R", CultureInfo.InvariantCulture) : ""));
            cells.AddRange(new[]
            {
                t.DatetimeStart?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                t.DatetimeComplete?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                t.Duration?.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) ?? "",
            });
            var p = t.Params;
            cells.AddRange(names.Select(n => p.TryGetValue(n, out var value) ? Quote(Cell(value)) : ""));
            cells.Add(t.State.ToOptunaName());
            text.AppendLine(string.Join(",", cells));
        }
        return text.ToString();
    }

    public static string ToJson(IReadOnlyList<FrozenTrial> trials)
    {
        var array = new JsonArray();
        foreach (var t in trials)
        {
            var parameters = new JsonObject();
            foreach (var (name, value) in t.Params) parameters[name] = Scalar(value);
            var distributions = new JsonObject();
            foreach (var (name, d) in t.Distributions) distributions[name] = JsonNode.Parse(d.ToJson());
            var intermediate = new JsonObject();
            foreach (var (step, value) in t.IntermediateValues.OrderBy(p => p.Key))
                intermediate[step.ToString(CultureInfo.InvariantCulture)] = double.IsFinite(value) ? value : null;
            array.Add(new JsonObject
            {
                ["number"] = t.Number,
                ["state"] = t.State.ToOptunaName(),
                ["value"] = t.Value is double v && double.IsFinite(v) ? v : null,
                ["values"] = t.Values is { } values ? new JsonArray(values.Select(x => (JsonNode?)(double.IsFinite(x) ? x : null)).ToArray()) : null,
                ["params"] = parameters,
                ["distributions"] = distributions,
                ["intermediate_values"] = intermediate,
                ["datetime_start"] = t.DatetimeStart?.ToString("O", CultureInfo.InvariantCulture),
                ["datetime_complete"] = t.DatetimeComplete?.ToString("O", CultureInfo.InvariantCulture),
                ["user_attrs"] = Attrs(t.UserAttrs),
                ["system_attrs"] = Attrs(t.SystemAttrs),
            });
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) array.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonNode? Scalar(object? value) => value switch
    {
        null => null,
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(PythonJson.Float(d)),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonObject Attrs(IReadOnlyDictionary<string, string> attrs)
    {
        var o = new JsonObject();
        foreach (var (key, json) in attrs)
        {
            // Python writes NaN and Infinity, which strict JSON lacks: such values are kept as their text.
            try { o[key] = JsonNode.Parse(json); }
            catch (JsonException) { o[key] = json; }
        }
        return o;
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Quote(string cell) =>
        cell.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
