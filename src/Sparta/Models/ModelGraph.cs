using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// The model's graph flattened into steps: slots 0..inputs−1 hold the inputs, each step runs a layer
/// on earlier slots and writes its own slot; the outputs are some of the slots, in the order given.
/// Planned once, so a forward pass is a plain loop.
/// </summary>
internal sealed class ModelGraph
{
    public sealed record Step(Layer Layer, int[] Inputs, int Output);

    private ModelGraph(string[] inputNames, Step[] steps, Shape[] shapes, int[] outputSlots, Layer[] layers)
    {
        InputNames = inputNames;
        Steps = steps;
        Shapes = shapes;
        OutputSlots = outputSlots;
        Layers = layers;
        _feedsOnlyNext = FeedsOnlyNext(steps, shapes.Length, outputSlots);
        _copiedAfter = CopiedAfter(steps, inputNames.Length, shapes.Length, outputSlots);
        _isOutput = new bool[shapes.Length];
        foreach (int slot in outputSlots) _isOutput[slot] = true;
    }

    /// <summary>
    /// Per step: the slots it is the last to read where no reader's backward reads their values (a
    /// concatenation's, an average pooling's) and no model output is among them; a training step gives
    /// them back once that step has run, when their own layer's backward does not read them either.
    /// </summary>
    private readonly int[][] _copiedAfter;

    /// <summary>Per step: whether its output is read by the next step alone (and is no model output), so the two may run as one.</summary>
    private readonly bool[] _feedsOnlyNext;

    /// <summary>Per slot: whether it is a model output (the caller reads it after the step).</summary>
    private readonly bool[] _isOutput;

    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<Step> Steps { get; }
    public IReadOnlyList<Shape> Shapes { get; }

    /// <summary>The slot of each output, in the model's output order.</summary>
    public IReadOnlyList<int> OutputSlots { get; }

    /// <summary>The first output's slot (the only one of a single-output model).</summary>
    public int OutputSlot => OutputSlots[0];

    public IReadOnlyList<Layer> Layers { get; }

    public static ModelGraph Create(string model, IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs)
    {
        if (inputs.Count == 0) throw new ArgumentException($"model '{model}': needs at least one input");
        if (outputs.Count == 0) throw new ArgumentException($"model '{model}': needs at least one output");
        if (outputs.Distinct(ReferenceEqualityComparer.Instance).Count() != outputs.Count)
            throw new ArgumentException($"model '{model}': the same tensor is given twice as an output");
        var slots = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        var shapes = new List<Shape>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!input.IsInput) throw new ArgumentException($"model '{model}': {input} is not a model input (create it with Model.Input)");
            if (!names.Add(input.InputName!)) throw new ArgumentException($"model '{model}': two inputs are named '{input.InputName}'");
            slots[input] = shapes.Count;
            shapes.Add(input.Shape);
        }

        var steps = new List<Step>();
        // Iterative post-order walk from the output: every step comes after the steps it reads.
        var stack = new Stack<(SymbolicTensor Tensor, bool Expanded)>();
        for (int o = outputs.Count - 1; o >= 0; o--) stack.Push((outputs[o], false));
        while (stack.Count > 0)
        {
            var (tensor, expanded) = stack.Pop();
            if (slots.ContainsKey(tensor)) continue;
            if (tensor.IsInput)
                throw new ArgumentException($"model '{model}': the output depends on input '{tensor.InputName}', which is not among the model's inputs");
            if (expanded)
            {
                slots[tensor] = shapes.Count;
                shapes.Add(tensor.Shape);
                steps.Add(new Step(tensor.Layer!, tensor.Inputs.Select(i => slots[i]).ToArray(), slots[tensor]));
                continue;
            }
            stack.Push((tensor, true));
            for (int i = tensor.Inputs.Count - 1; i >= 0; i--)
                if (!slots.ContainsKey(tensor.Inputs[i])) stack.Push((tensor.Inputs[i], false));
        }

        var layers = steps.Select(s => s.Layer).Distinct().ToArray();
        NameLayers(model, layers, inputs.Select(i => i.InputName!));
        return new ModelGraph(inputs.Select(i => i.InputName!).ToArray(), steps.ToArray(), shapes.ToArray(), outputs.Select(o => slots[o]).ToArray(), layers);
    }

    /// <summary>
    /// Every output, in order. In inference off the tape, consecutive convolutions and the max
    /// poolings after them, each read only by the next, run as one pass in the channels-blocked layout
    /// (<see cref="RunChain"/>): the same values, without writing the layers between; their slots stay
    /// empty and, in <paramref name="stamps"/>, the chain's first step holds its time, the others none.
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, bool training, long[]? stamps = null) =>
        RunInto(inputs, training, new Tensor[OutputSlots.Count], stamps);

    /// <summary><see cref="Run"/> writing the outputs into <paramref name="outputs"/> (one a model output), which it returns.</summary>
    public Tensor[] RunInto(IReadOnlyList<Tensor> inputs, bool training, Tensor[] outputs, long[]? stamps = null)
    {
        var arrays = TakeArrays();
        var values = RunUntil(inputs, training, Steps.Count, arrays, stamps, fuse: true,
            giveBack: GivesBack(training));
        for (int o = 0; o < outputs.Length; o++) outputs[o] = values[OutputSlots[o]];
        GiveBack(arrays);
        return outputs;
    }

    /// <summary>The output of a one-input, one-output graph: <see cref="Run"/> without an array in or out (a training step allocates nothing for it).</summary>
    public Tensor RunOne(Tensor input, bool training)
    {
        var arrays = TakeArrays();
        arrays.Input[0] = input;
        var output = RunUntil(arrays.Input, training, Steps.Count, arrays, fuse: true,
            giveBack: GivesBack(training))[OutputSlot];
        GiveBack(arrays);
        return output;
    }

    /// <summary>Whether a forward pass gives back the slots of <see cref="_copiedAfter"/>: in a training step with a pool.</summary>
    private static bool GivesBack(bool training) => training && Autograd.Tape.IsRecording && TensorPool.Current is not null;

    /// <summary>The arrays a forward pass fills (a one-input list, every slot, each step's inputs), kept between passes.</summary>
    private sealed class RunArrays(ModelGraph graph)
    {
        public readonly Tensor[] Input = new Tensor[1];
        public readonly Tensor[] Values = new Tensor[graph.Shapes.Count];
        public readonly Tensor[][] StepInputs = graph.Steps.Select(s => new Tensor[s.Inputs.Length]).ToArray();
    }

    private RunArrays? _keptArrays;

    /// <summary>The kept arrays, or new ones while another pass (another thread's) holds them.</summary>
    private RunArrays TakeArrays() => Interlocked.Exchange(ref _keptArrays, null) ?? new RunArrays(this);

    /// <summary>Empties the arrays (they keep no tensor alive) and keeps them for the next pass.</summary>
    private void GiveBack(RunArrays arrays)
    {
        Array.Clear(arrays.Input);
        Array.Clear(arrays.Values);
        foreach (var inputs in arrays.StepInputs) Array.Clear(inputs);
        _keptArrays = arrays;
    }

    /// <summary>
    /// Each slot's name: an input's name, a layer's name for its first call's output and "layer:k"
    /// for its k-th call (a layer shared by branches).
    /// </summary>
    public string[] SlotNames()
    {
        var names = new string[Shapes.Count];
        for (int i = 0; i < InputNames.Count; i++) names[i] = InputNames[i];
        var calls = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        foreach (var step in Steps)
        {
            int k = calls.GetValueOrDefault(step.Layer);
            calls[step.Layer] = k + 1;
            names[step.Output] = k == 0 ? step.Layer.Name : $"{step.Layer.Name}:{k}";
        }
        return names;
    }

    /// <summary>What the first call of <paramref name="layer"/> receives for these model inputs (in inference mode).</summary>
    public Tensor[] InputsOf(Layer layer, IReadOnlyList<Tensor> inputs)
    {
        int index = Steps.ToList().FindIndex(s => s.Layer == layer);
        var values = RunUntil(inputs, training: false, index, new RunArrays(this));
        return Steps[index].Inputs.Select(i => values[i]).ToArray();
    }

    /// <summary>Runs every step and returns every slot: the inputs, then each step's output.</summary>
    public Tensor[] RunAll(IReadOnlyList<Tensor> inputs, bool training) => RunUntil(inputs, training, Steps.Count, new RunArrays(this));

    /// <summary>
    /// Runs steps [0, <paramref name="stepCount"/>) and returns every slot filled so far (the values of <paramref name="arrays"/>); when given,
    /// <paramref name="stamps"/> gets <see cref="System.Diagnostics.Stopwatch"/> timestamps: [0] when the steps began, [s + 1] when step s ended.
    /// </summary>
    /// <remarks>
    /// With <paramref name="giveBack"/> (a training step with a <see cref="TensorPool"/>) the slots of <see cref="_copiedAfter"/>
    /// go back to the pool as soon as their last reader has run: an Inception block's branch outputs then live only in
    /// its concatenation, and a pool branch's convolution output only until its average is taken. Only <see cref="Run"/>
    /// and <see cref="RunOne"/> do it: their callers see the outputs alone.
    /// With <paramref name="fuse"/> (the same callers) layers may run as one op whose inner slots stay empty: a chain of
    /// convolutions in inference (<see cref="RunChain"/>), a ReLU convolution and its max pooling in a training step
    /// (<see cref="RunPooled"/>); <see cref="RunAll"/>, whose callers read every slot, never fuses.
    /// </remarks>
    private Tensor[] RunUntil(IReadOnlyList<Tensor> inputs, bool training, int stepCount, RunArrays arrays, long[]? stamps = null, bool fuse = false,
        bool giveBack = false)
    {
        if (stamps is not null) stamps[0] = System.Diagnostics.Stopwatch.GetTimestamp();
        var values = arrays.Values;
        for (int i = 0; i < inputs.Count; i++) values[i] = inputs[i];
        for (int s = 0; s < stepCount; s++)
        {
            var step = Steps[s];
            if (fuse && !training && !Autograd.Tape.IsRecording && RunChain(s, stepCount, values) is { } chain)
            {
                values[Steps[chain.Last].Output] = chain.Output;
                if (stamps is not null) Array.Fill(stamps, System.Diagnostics.Stopwatch.GetTimestamp(), s + 1, chain.Last - s + 1);
                s = chain.Last;
                continue;
            }
            if (fuse && training && Autograd.Tape.IsRecording && RunPooled(s, stepCount, values) is { } pooled)
            {
                values[Steps[s + 1].Output] = pooled;
                if (stamps is not null) stamps[s + 1] = stamps[s + 2] = System.Diagnostics.Stopwatch.GetTimestamp();
                if (giveBack) GiveBackCopied(s + 1, values, training);
                s++;
                continue;
            }
            var layerInputs = arrays.StepInputs[s];
            for (int i = 0; i < layerInputs.Length; i++) layerInputs[i] = values[step.Inputs[i]];
            values[step.Output] = step.Layer.Call(layerInputs, training);
            if (giveBack)
            {
                GiveBackCopied(s, values, training);
                HoldOffTape(step, values[step.Output], layerInputs);
            }
            if (stamps is not null) stamps[s + 1] = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        return values;
    }

    /// <summary>
    /// The convolutions from step <paramref name="first"/> on, each with the max pooling after it when
    /// there is one, run as one <see cref="TensorMath.Conv2DChain"/> while every step's output is read
    /// by the next alone and the kernels take each stage; null (each step then runs alone, and any
    /// error is the layer's own) unless that makes at least two convolutions or one and its pooling.
    /// </summary>
    private (Tensor Output, int Last)? RunChain(int first, int stepCount, Tensor[] values)
    {
        var start = Steps[first];
        if (start.Layer is not Conv2D || start.Inputs.Length != 1) return null;
        var x = values[start.Inputs[0]];
        if (x.Rank != 4) return null;
        var stages = new List<Kernels.Conv2DBlockedStage>();
        var sample = new Shape(x.Shape[1], x.Shape[2], x.Shape[3]);
        int at = first, last = first;
        while (at < stepCount && Steps[at].Layer is Conv2D { IsBuilt: true } conv && (at == first || _feedsOnlyNext[at - 1]))
        {
            var pool = at + 1 < stepCount && _feedsOnlyNext[at] && Steps[at + 1].Layer is MaxPool2D p ? p : null;
            var stage = (pool is null ? null : conv.BlockedStage(sample, pool)) ?? conv.BlockedStage(sample, null);
            if (stage is null || (stages.Count > 0 && !Kernels.Conv2DBlockedChain.Links(stages[^1], stage))) break;
            stages.Add(stage);
            last = stage.Pool is null ? at : at + 1;
            at = last + 1;
            sample = new Shape(stage.Shape.OutChannels, stage.OutHeight, stage.OutWidth);
        }
        if (stages.Count == 0 || (stages.Count == 1 && stages[0].Pool is null)) return null;
        return (TensorMath.Conv2DChain(x, stages), last);
    }

    /// <summary>
    /// A training step's ReLU convolution at step <paramref name="s"/> and the max pooling after it, the only reader of
    /// its output, as one op (<see cref="Conv2D.PooledForTraining"/>): the pooled output, or null (each step then runs alone).
    /// </summary>
    private Tensor? RunPooled(int s, int stepCount, Tensor[] values)
    {
        var step = Steps[s];
        if (s + 1 >= stepCount || !_feedsOnlyNext[s] || step.Layer is not Conv2D { IsBuilt: true } conv || step.Inputs.Length != 1
            || Steps[s + 1].Layer is not MaxPool2D { IsBuilt: true } pool) return null;
        return conv.PooledForTraining(values[step.Inputs[0]], pool);
    }

    /// <summary>Gives back the slots step <paramref name="s"/> was the last to read whose own layer's backward does not read them.</summary>
    private void GiveBackCopied(int s, Tensor[] values, bool training)
    {
        foreach (int slot in _copiedAfter[s])
            if (values[slot] is { } value && !Steps[slot - InputNames.Count].Layer.BackwardReadsOutput(training)) TensorPool.GiveBackBuffer(value);
    }

    /// <summary>
    /// Has the pool take back at its next step a layer's output made off the tape (its inputs need no gradient: the zero
    /// padding of the input images): no backward sees it to give it back, and each step would hold one more buffer.
    /// </summary>
    private void HoldOffTape(Step step, Tensor output, Tensor[] layerInputs)
    {
        if (output.RequiresGrad || _isOutput[step.Output]) return;
        // A layer that passed an input on as is made nothing.
        foreach (var input in layerInputs)
            if (ReferenceEquals(input, output)) return;
        TensorPool.Current!.HoldOffTape(output);
    }

    private static int[][] CopiedAfter(Step[] steps, int inputs, int slots, int[] outputSlots)
    {
        var lastReader = new int[slots];
        var onlyCopied = new bool[slots];
        Array.Fill(lastReader, -1);
        Array.Fill(onlyCopied, true);
        for (int s = 0; s < steps.Length; s++)
            foreach (int input in steps[s].Inputs)
            {
                lastReader[input] = s;
                onlyCopied[input] &= !steps[s].Layer.BackwardReadsInputs;
            }
        var after = steps.Select(_ => new List<int>()).ToArray();
        for (int slot = inputs; slot < slots; slot++)
            if (lastReader[slot] >= 0 && onlyCopied[slot] && !outputSlots.Contains(slot)) after[lastReader[slot]].Add(slot);
        return after.Select(list => list.ToArray()).ToArray();
    }

    private static bool[] FeedsOnlyNext(Step[] steps, int slots, int[] outputSlots)
    {
        var readers = new int[slots];
        foreach (var step in steps)
            foreach (int input in step.Inputs) readers[input]++;
        return steps.Select((step, s) => s + 1 < steps.Length && readers[step.Output] == 1 && steps[s + 1].Inputs.Contains(step.Output)
            && !outputSlots.Contains(step.Output)).ToArray();
    }

    /// <summary>Keeps given names (they must be unique) and names the others after their type: "dense", "dense_1", ...</summary>
    private static void NameLayers(string model, Layer[] layers, IEnumerable<string> inputNames)
    {
        var taken = new HashSet<string>(inputNames, StringComparer.Ordinal);
        foreach (var layer in layers.Where(l => l.HasName || l.IsBuilt))
            if (!taken.Add(layer.Name))
                throw new ArgumentException($"model '{model}': two layers or inputs are named '{layer.Name}'");
        foreach (var layer in layers.Where(l => !l.HasName && !l.IsBuilt))
        {
            string name = layer.TypeName;
            for (int k = 1; !taken.Add(name); k++) name = $"{layer.TypeName}_{k}";
            layer.AssignName(name);
        }
    }
}
