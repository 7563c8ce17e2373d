using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// The layer contract of Keras 3. Shapes given to <see cref="Build(IReadOnlyList{Shape}, RandomGenerator?)"/>
/// and <see cref="ComputeOutputShape(IReadOnlyList{Shape})"/> leave out the batch axis; tensors given to
/// <see cref="Call(IReadOnlyList{Tensor}, bool)"/> have it first. Images are channels-first (C, H, W).
/// A layer owns named <see cref="Parameters"/> (trainable unless frozen) and non-trainable
/// <see cref="State"/> (batch-norm running statistics); <see cref="GetConfig"/> describes it by its
/// registered name, so <see cref="LayerRegistry"/> recreates it.
/// </summary>
public abstract class Layer
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<NamedTensor> _state = [];
    private readonly List<(Parameter Parameter, Regularizer Regularizer)> _regularized = [];
    private string? _name;
    private bool _trainable = true;

    protected Layer(string? name)
    {
        if (name is not null) LayerNames.Check(name);
        _name = name;
    }

    /// <summary>The registered name of this kind of layer ("dense", "conv2d", ...).</summary>
    public abstract string TypeName { get; }

    /// <summary>The instance name, unique within a model: given, or assigned by the model ("dense_1"); parameters are named after it.</summary>
    public string Name => _name ?? TypeName;

    /// <summary>Whether the name was given or assigned (else the model may rename it before building).</summary>
    public bool HasName => _name is not null;

    /// <summary>Inputs accepted: 1 for most layers; merge layers (Add, Concatenate) take 2 or more.</summary>
    public virtual int MinInputs => 1;
    public virtual int MaxInputs => 1;

    public bool IsBuilt { get; private set; }

    /// <summary>The input shapes (no batch axis) the layer was built for.</summary>
    public IReadOnlyList<Shape> InputShapes { get; private set; } = [];

    /// <summary>The output shape (no batch axis), known once built.</summary>
    public Shape OutputShape => IsBuilt ? _outputShape! : throw new InvalidOperationException($"layer '{Name}': not built yet");
    private Shape? _outputShape;

    /// <summary>Trainable and frozen parameters, in creation order, named "layer/short_name".</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Non-trainable values updated by the forward pass itself (running statistics), named like parameters.</summary>
    public IReadOnlyList<NamedTensor> State => _state;

    /// <summary>Every weight of the layer (parameters and state) — Keras' "Param #".</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Size) + _state.Sum(s => (long)s.Value.Size);

    /// <summary>
    /// False freezes the layer (transfer learning): its parameters get no gradient and the optimizer
    /// skips them; layers with running statistics then also use them in training (as Keras does).
    /// </summary>
    public bool Trainable
    {
        get => _trainable;
        set
        {
            _trainable = value;
            foreach (var p in _parameters) p.Trainable = value;
        }
    }

    public void Build(Shape inputShape, RandomGenerator? random = null) => Build([inputShape], random);

    /// <summary>
    /// Creates the parameters for these input shapes, drawing initial values from
    /// <paramref name="random"/> (a model passes its seed's stream for this layer's name; without
    /// one, seed 0's). Building again with the same shapes does nothing (a shared layer).
    /// </summary>
    public void Build(IReadOnlyList<Shape> inputShapes, RandomGenerator? random = null)
    {
        if (IsBuilt)
        {
            if (!inputShapes.SequenceEqual(InputShapes))
                throw new ArgumentException($"layer '{Name}': built for input shapes {LayerNames.Show(InputShapes)}, got {LayerNames.Show(inputShapes)}");
            return;
        }
        var output = ComputeOutputShape(inputShapes);
        BuildCore(inputShapes, random ?? new RandomGenerator(0).Fork(Name));
        InputShapes = inputShapes.ToArray();
        _outputShape = output;
        IsBuilt = true;
        foreach (var p in _parameters) p.Trainable = _trainable;
    }

    /// <summary>The output shape for these input shapes (no batch axis); throws a one-line error for shapes the layer cannot take.</summary>
    public Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Count < MinInputs || inputShapes.Count > MaxInputs)
            throw new ArgumentException($"layer '{Name}': takes {(MinInputs == MaxInputs ? MinInputs.ToString() : $"{MinInputs} or more")} input(s), got {inputShapes.Count}");
        return OutputShapeFor(inputShapes);
    }

    public Shape ComputeOutputShape(Shape inputShape) => ComputeOutputShape([inputShape]);

    /// <summary>Runs the layer on a batch; builds it first from the inputs' shapes when needed.</summary>
    public Tensor Call(Tensor x, bool training = false) => Call([x], training);

    public Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (!IsBuilt) Build(inputs.Select(t => BatchlessShape(t)).ToArray());
        if (inputs.Count != InputShapes.Count)
            throw new ArgumentException($"layer '{Name}': built for {InputShapes.Count} input(s), got {inputs.Count}");
        for (int i = 0; i < inputs.Count; i++)
            if (!HasBatchOf(inputs[i], InputShapes[i]))
                throw new ArgumentException($"layer '{Name}': input {i} has shape {inputs[i].Shape}, expected (batch, {string.Join(", ", InputShapes[i].ToArray())})");
        return Forward(inputs, training);
    }

    /// <summary>
    /// Whether a training step's backward reads this layer's output (a frozen batch norm's composed ops do,
    /// its fused op recomputes it). When neither it nor any layer reading it needs the values, the model
    /// gives the output's buffer back as soon as its readers have run (<see cref="Models.ModelGraph"/>).
    /// </summary>
    internal virtual bool BackwardReadsOutput(bool training) => true;

    /// <summary>Whether backward reads this layer's inputs' values (a concatenation's passes on slabs of the gradient, an average pooling's spreads it).</summary>
    internal virtual bool BackwardReadsInputs => true;

    /// <summary>Adds this layer to a functional graph: the symbolic output of the layer on these symbolic inputs.</summary>
    public SymbolicTensor Call(params SymbolicTensor[] inputs) => SymbolicTensor.Apply(this, inputs);

    /// <summary>The penalties of the regularized parameters (λ·R(W)), on the tape; null when the layer has none.</summary>
    public Tensor? RegularizationLoss()
    {
        Tensor? total = null;
        foreach (var (parameter, regularizer) in _regularized)
        {
            if (!parameter.Trainable) continue;
            var penalty = regularizer.Penalty(parameter.Value);
            total = total is null ? penalty : total + penalty;
        }
        return total;
    }

    /// <summary>The registered name and the arguments that recreate this layer (its instance name is kept by the model).</summary>
    public ComponentConfig GetConfig()
    {
        var parameters = ConfigParameters().Select(p => new KeyValuePair<string, object>(p.Key, p.Value)).ToList();
        if (!_trainable) parameters.Add(new("trainable", false));
        return new ComponentConfig(TypeName, parameters);
    }

    public override string ToString() => $"{Name} ({TypeName})";

    protected abstract Shape OutputShapeFor(IReadOnlyList<Shape> inputShapes);

    /// <summary>Creates the parameters and state (with <see cref="AddParameter"/>, <see cref="AddState"/>).</summary>
    protected virtual void BuildCore(IReadOnlyList<Shape> inputShapes, RandomGenerator random)
    {
    }

    protected abstract Tensor Forward(IReadOnlyList<Tensor> inputs, bool training);

    /// <summary>The layer's own config keys (not the name or trainable flag).</summary>
    protected abstract IEnumerable<(string Key, object Value)> ConfigParameters();

    /// <summary>Creates parameter "layer/<paramref name="shortName"/>", filled by the initializer from its own named stream.</summary>
    protected Parameter AddParameter(string shortName, Shape shape, Initializer initializer, RandomGenerator random, Regularizer? regularizer = null)
    {
        var value = Tensor.Zeros(shape);
        initializer.Initialize(value, random.Fork(shortName));
        var parameter = new Parameter($"{Name}/{shortName}", value);
        _parameters.Add(parameter);
        if (regularizer is not null) _regularized.Add((parameter, regularizer));
        return parameter;
    }

    /// <summary>Creates non-trainable state "layer/<paramref name="shortName"/>" filled with <paramref name="value"/>.</summary>
    protected Tensor AddState(string shortName, Shape shape, float value)
    {
        var tensor = Tensor.Full(value, shape);
        _state.Add(new NamedTensor($"{Name}/{shortName}", tensor));
        return tensor;
    }

    /// <summary>The model names an unnamed layer ("dense_1") before building it.</summary>
    internal void AssignName(string name)
    {
        if (IsBuilt) throw new InvalidOperationException($"layer '{Name}': cannot be renamed to '{name}' once built");
        LayerNames.Check(name);
        _name = name;
    }

    /// <summary>Whether <paramref name="t"/> is a batch of <paramref name="sample"/>-shaped values (compared in place: a layer is called every step).</summary>
    private static bool HasBatchOf(Tensor t, Shape sample)
    {
        if (t.Rank == 0) throw ScalarInput();
        return t.Rank == sample.Rank + 1 && t.Shape.Dims[1..].SequenceEqual(sample.Dims);
    }

    private static Shape BatchlessShape(Tensor t) => t.Rank == 0 ? throw ScalarInput() : new Shape(t.Shape.Dims[1..].ToArray());

    private static ArgumentException ScalarInput() => new("layer: input is a scalar; expected a batch (batch, ...)");
}
