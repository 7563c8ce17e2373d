namespace Sparta.Configuration;

/// <summary>
/// Creates components of one kind (optimizer, schedule, initializer, metric) from their stable
/// registered names. Unknown names and unknown parameter keys fail with the closest valid names.
/// </summary>
public sealed class Registry<T>
{
    private readonly Dictionary<string, Func<ConfigReader, T>> _factories = new(StringComparer.Ordinal);

    public Registry(string kind) => Kind = kind;

    /// <summary>What the registry holds ("optimizer", "schedule", ...), used in error messages.</summary>
    public string Kind { get; }

    public IEnumerable<string> Names => _factories.Keys.OrderBy(n => n, StringComparer.Ordinal);

    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Registers a factory; it reads its parameters from the reader (unread keys are errors).</summary>
    public void Register(string name, Func<ConfigReader, T> factory)
    {
        if (!_factories.TryAdd(name, factory))
            throw new ArgumentException($"{Kind} registry: name '{name}' is already registered", nameof(name));
    }

    public T Create(string name) => Create(new ComponentConfig(name));

    public T Create(ComponentConfig config)
    {
        if (!_factories.TryGetValue(config.Name, out var factory))
            throw new ArgumentException($"{Kind}: unknown name '{config.Name}'; {NameSuggestions.Hint(config.Name, _factories.Keys)}");
        var reader = new ConfigReader($"{Kind} '{config.Name}'", config);
        T component = factory(reader);
        reader.EnsureAllRead();
        return component;
    }
}
