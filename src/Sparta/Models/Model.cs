using Sparta.Layers;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// A graph of layers from named inputs to one output (Keras' functional API):
/// <code>
/// var image = Model.Input([1, 64, 64], "image");
/// var sex = Model.Input([1], "sex");
/// var features = new GlobalAveragePooling2D().Call(new Conv2D(16, 3, activation: "relu").Call(image));
/// var hidden = new Dense(32, "relu").Call(new Concatenate().Call(features, sex));
/// var model = new Model([image, sex], new Dense(1).Call(hidden), "bone_age", seed: 42);
/// </code>
/// Building the model names unnamed layers uniquely ("dense", "dense_1") and builds every layer
/// with its own random stream of <see cref="Seed"/>, so the same seed gives the same weights.
/// <see cref="Sequential"/> is the one-input chain.
/// </summary>
public partial class Model
{
    private readonly ModelGraph _graph;
    private readonly Parameter[] _parameters;
    private readonly NamedTensor[] _state;

    public Model(IReadOnlyList<SymbolicTensor> inputs, SymbolicTensor output, string name = "model", ulong seed = 0)
        : this(inputs, [output], name, seed)
    {
    }

    /// <summary>
    /// A model with several outputs (Keras' <c>Model(inputs, [a, b])</c>), in this order: each has its
    /// name (<see cref="OutputNames"/>) and shape; <see cref="ForwardOutputs(IReadOnlyList{Tensor}, bool)"/> gives them all.
    /// </summary>
    public Model(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string name = "model", ulong seed = 0)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"model: name must be non-empty, got '{name}'", nameof(name));
        Name = name;
        Seed = seed;
        _graph = ModelGraph.Create(name, inputs, outputs);
        var random = new RandomGenerator(seed);
        foreach (var step in _graph.Steps)
            step.Layer.Build(step.Inputs.Select(i => _graph.Shapes[i]).ToArray(), random.Fork(step.Layer.Name));
        _parameters = Layers.SelectMany(l => l.Parameters).ToArray();
        _state = Layers.SelectMany(l => l.State).ToArray();
        CheckUniqueWeightNames();
    }

    public Model(SymbolicTensor input, SymbolicTensor output, string name = "model", ulong seed = 0)
        : this([input], output, name, seed)
    {
    }

    /// <summary>A named model input of this shape (no batch axis; images channels-first).</summary>
    public static SymbolicTensor Input(int[] shape, string name = "input") => SymbolicTensor.Input(new Shape(shape), name);

    public static SymbolicTensor Input(Shape shape, string name = "input") => SymbolicTensor.Input(shape, name);

    public string Name { get; }

    /// <summary>The seed the layers' initial weights were drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>Every layer once, in the order the forward pass runs them.</summary>
    public IReadOnlyList<Layer> Layers => _graph.Layers;

    public IReadOnlyList<string> InputNames => _graph.InputNames;

    /// <summary>Each input's shape (no batch axis), in <see cref="InputNames"/> order.</summary>
    public IReadOnlyList<Shape> InputShapes => _graph.InputNames.Select((_, i) => _graph.Shapes[i]).ToArray();

    /// <summary>The output's shape (no batch axis); a model with several outputs has <see cref="OutputShapes"/>.</summary>
    public Shape OutputShape => _graph.OutputSlots.Count == 1 ? _graph.Shapes[_graph.OutputSlot] : throw SeveralOutputs("OutputShape");

    /// <summary>Each output's name: the layer giving it (an input's name when an output is an input).</summary>
    public IReadOnlyList<string> OutputNames { get { var names = _graph.SlotNames(); return _graph.OutputSlots.Select(o => names[o]).ToArray(); } }

    /// <summary>Each output's shape (no batch axis), in <see cref="OutputNames"/> order.</summary>
    public IReadOnlyList<Shape> OutputShapes => _graph.OutputSlots.Select(o => _graph.Shapes[o]).ToArray();

    /// <summary>All parameters (trainable and frozen), layer by layer.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters the optimizer updates (those of layers not frozen).</summary>
    public IReadOnlyList<Parameter> TrainableParameters => _parameters.Where(p => p.Trainable).ToArray();

    /// <summary>Non-trainable state (batch-norm running statistics), layer by layer.</summary>
    public IReadOnlyList<NamedTensor> State => _state;

    public long TrainableParameterCount => _parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.Size);

    /// <summary>Frozen parameters and state.</summary>
    public long NonTrainableParameterCount => Layers.Sum(l => l.ParameterCount) - TrainableParameterCount;

    public Layer GetLayer(string name) => Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"model '{Name}': no layer named '{name}'; {Configuration.NameSuggestions.Hint(name, Layers.Select(l => l.Name))}");

    /// <summary>Runs a one-input, one-output model on a batch.</summary>
    public Tensor Forward(Tensor x, bool training = false)
    {
        if (_graph.InputNames.Count != 1)
            throw new ArgumentException($"model '{Name}': has {_graph.InputNames.Count} inputs ({string.Join(", ", _graph.InputNames)}); pass them by name");
        return _graph.OutputSlots.Count == 1 ? _graph.RunOne(x, training) : throw SeveralOutputs("Forward");
    }

    /// <summary>Runs a one-output model on a batch given as one tensor per input name.</summary>
    public Tensor Forward(IReadOnlyDictionary<string, Tensor> inputs, bool training = false)
    {
        foreach (string key in inputs.Keys)
            if (!_graph.InputNames.Contains(key))
                throw new ArgumentException($"model '{Name}': unknown input '{key}'; {Configuration.NameSuggestions.Hint(key, _graph.InputNames)}");
        var ordered = _graph.InputNames.Select(n => inputs.TryGetValue(n, out var t) ? t
            : throw new ArgumentException($"model '{Name}': input '{n}' is missing")).ToArray();
        return Single(_graph.Run(ordered, training));
    }

    /// <summary>Runs a one-output model on one tensor per input, in <see cref="InputNames"/> order.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> inputs, bool training = false) => Single(ForwardOutputs(inputs, training));

    /// <summary>Every output (in <see cref="OutputNames"/> order) for one tensor per input, in <see cref="InputNames"/> order.</summary>
    public IReadOnlyList<Tensor> ForwardOutputs(IReadOnlyList<Tensor> inputs, bool training = false) => ForwardOutputs(inputs, training, null);

    /// <summary>
    /// <see cref="ForwardOutputs(IReadOnlyList{Tensor}, bool)"/>, writing into <paramref name="stamps"/> (one more than
    /// <see cref="StepNames"/>) the timestamp at which the steps began, then the one at which each of them ended.
    /// </summary>
    internal IReadOnlyList<Tensor> ForwardOutputs(IReadOnlyList<Tensor> inputs, bool training, long[]? stamps)
    {
        if (inputs.Count != _graph.InputNames.Count)
            throw new ArgumentException($"model '{Name}': expects {_graph.InputNames.Count} inputs ({string.Join(", ", _graph.InputNames)}), got {inputs.Count}");
        return _graph.Run(inputs, training, stamps);
    }

    /// <summary>
    /// A training step's outputs, written into <paramref name="outputs"/> (one per model output), which it returns: the
    /// trainer keeps one array for every step.
    /// </summary>
    internal IReadOnlyList<Tensor> ForwardOutputsInto(IReadOnlyList<Tensor> inputs, Tensor[] outputs)
    {
        if (inputs.Count != _graph.InputNames.Count)
            throw new ArgumentException($"model '{Name}': expects {_graph.InputNames.Count} inputs ({string.Join(", ", _graph.InputNames)}), got {inputs.Count}");
        return _graph.RunInto(inputs, training: true, outputs);
    }

    /// <summary>Each step of the forward pass, in order: its output's name ("layer:k" for a shared layer's k-th call) and its layer's type.</summary>
    internal IReadOnlyList<(string Name, string Type)> StepNames
    {
        get
        {
            var slots = _graph.SlotNames();
            return _graph.Steps.Select(s => (slots[s.Output], s.Layer.TypeName)).ToArray();
        }
    }

    private Tensor Single(IReadOnlyList<Tensor> outputs) => outputs.Count == 1 ? outputs[0] : throw SeveralOutputs("Forward");

    private InvalidOperationException SeveralOutputs(string member) =>
        new($"model '{Name}': has {_graph.OutputSlots.Count} outputs ({string.Join(", ", OutputNames)}); {member} is for one-output models (use ForwardOutputs, OutputShapes)");

    /// <summary>
    /// The sum of every layer's weight penalties (L1/L2) on the tape, or null without regularizers:
    /// the training loop adds it to the data loss and reports both.
    /// </summary>
    public Tensor? RegularizationLoss()
    {
        Tensor? total = null;
        // By index: a foreach over the list would allocate its enumerator every training step.
        for (int i = 0; i < Layers.Count; i++)
            if (Layers[i].RegularizationLoss() is { } penalty) total = total is null ? penalty : total + penalty;
        return total;
    }

    /// <summary>Freezes or unfreezes every layer (transfer learning: freeze the base, train the head).</summary>
    public bool Trainable
    {
        get => Layers.Any(l => l.Trainable);
        set { foreach (var l in Layers) l.Trainable = value; }
    }

    private void CheckUniqueWeightNames()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in Parameters.Select(p => p.Name).Concat(State.Select(s => s.Name)))
            if (!seen.Add(name)) throw new ArgumentException($"model '{Name}': two weights are named '{name}'; give the layers distinct names");
    }
}
