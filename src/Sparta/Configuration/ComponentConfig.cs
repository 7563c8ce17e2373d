using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sparta.Configuration;

/// <summary>
/// A registered component described by its stable name and its parameters, e.g.
/// <c>{"name": "adam", "learning_rate": 0.001}</c>. Parameter values are numbers (double),
/// booleans, strings, nested configs or lists of those (a kernel size [3, 5]). This is what model
/// files and experiment files store, so a type is always restored by its registered name, never by
/// a .NET type name.
/// </summary>
public sealed class ComponentConfig : IEquatable<ComponentConfig>
{
    private readonly SortedDictionary<string, object> _parameters;

    public ComponentConfig(string name, IEnumerable<KeyValuePair<string, object>>? parameters = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"config: name must be a non-empty string, got '{name}'", nameof(name));
        Name = name;
        _parameters = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (parameters is null) return;
        foreach (var (key, value) in parameters) _parameters[key] = Normalize(key, value);
    }

    public string Name { get; }

    /// <summary>A name without parameters, as Keras takes <c>optimizer="adam"</c>.</summary>
    public static implicit operator ComponentConfig(string name) => new(name);

    public IReadOnlyDictionary<string, object> Parameters => _parameters;

    /// <summary>Compact JSON with the name first and parameters in key order (stable, diffable).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// A name (<c>tpe</c>) or a YAML mapping with a name and parameters (<c>{name: tpe, startup_trials: 20}</c>),
    /// read as an experiment file reads a component; a problem is an <see cref="Experiments.ExperimentException"/>
    /// naming <paramref name="where"/> and the key.
    /// </summary>
    public static ComponentConfig FromYaml(string text, string where = "config") => Experiments.ExperimentReader.ParseComponent(text, where);

    public static ComponentConfig FromJson(string json)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(json).RootElement; }
        catch (JsonException e) { throw new FormatException($"config: invalid JSON ({e.Message})"); }
        return FromElement(root, "config");
    }

    public override string ToString() => ToJson();

    public bool Equals(ComponentConfig? other) => other is not null && ToJson() == other.ToJson();
    public override bool Equals(object? obj) => Equals(obj as ComponentConfig);
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        foreach (var (key, value) in _parameters)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case ComponentConfig c: c.Write(writer); break;
            case IReadOnlyList<object> list:
                writer.WriteStartArray();
                foreach (object item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
        }
    }

    private static ComponentConfig FromElement(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where}: expected an object with a \"name\", got {element.ValueKind}");
        if (!element.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            throw new FormatException($"{where}: missing string key \"name\"");
        var parameters = new List<KeyValuePair<string, object>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "name") continue;
            parameters.Add(new(property.Name, Value(property.Value, $"{where}.{property.Name}")));
        }
        return new ComponentConfig(nameElement.GetString()!, parameters);
    }

    private static object Value(JsonElement element, string where) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object => FromElement(element, where),
        JsonValueKind.Array => element.EnumerateArray().Select((item, i) => Value(item, $"{where}.{i}")).ToArray(),
        _ => throw new FormatException($"{where}: unsupported value {element.GetRawText()}"),
    };

    private static object Normalize(string key, object value) => value switch
    {
        double or bool or string or ComponentConfig => value,
        float f => (double)f,
        int i => (double)i,
        long l => (double)l,
        System.Collections.IEnumerable list => list.Cast<object>().Select(item => Normalize(key, item)).ToArray(),
        _ => throw new ArgumentException($"config: parameter '{key}' has unsupported type {value?.GetType().Name ?? "null"} (value {Convert.ToString(value, CultureInfo.InvariantCulture)})"),
    };
}
