using Sparta.Data.Preprocessing;
using Sparta.Experiments;
using Sparta.Configuration;
using Sparta.Data;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Serialization;

/// <summary>
/// A model as a user holds it: the network with its weights, the preprocessing fitted with it
/// (applied to new samples before the network), the experiment it was trained from when the file
/// records one, and, for a checkpoint, the training state to resume from. <see cref="ModelLoader"/>
/// reads one from any registered file format.
/// </summary>
public sealed class SavedModel(
    string path,
    Model model,
    IReadOnlyDictionary<string, PreprocessingPipeline> preprocessing,
    Experiment? experiment = null,
    ModelFile? checkpoint = null)
{
    /// <summary>The file it was read from.</summary>
    public string Path { get; } = path;

    public Model Model { get; } = model;

    /// <summary>Fitted preprocessing by input name; an input without an entry is fed as it is.</summary>
    public IReadOnlyDictionary<string, PreprocessingPipeline> Preprocessing { get; } = preprocessing;

    /// <summary>The experiment the model was trained from (data paths relative to the file's directory), or null.</summary>
    public Experiment? Experiment { get; } = experiment;

    /// <summary>The Sparta model file when it holds training state (optimizer, epoch, History), else null.</summary>
    public ModelFile? Checkpoint { get; } = checkpoint;

    /// <summary>
    /// The loss and metrics the model was trained with: its experiment's, else its checkpoint's;
    /// null when the file records neither (a bare model, a model from another program). A cross-entropy
    /// says whether it reads the output as probabilities or logits, as training read it (<see cref="OutputObjective"/>).
    /// </summary>
    public (ComponentConfig Loss, IReadOnlyList<ComponentConfig> Metrics)? Objective =>
        Experiment is { } experiment ? ObjectiveOf(experiment)
        : Checkpoint?.Loss is { } loss ? (OutputObjective.Loss(loss, Model), Checkpoint.Metrics)
        : null;

    /// <summary>
    /// Each output's loss, weight and metrics for a model trained on several outputs: its experiment's, else its
    /// checkpoint's; null when the file records neither, or the model has one output.
    /// </summary>
    public IReadOnlyList<OutputSpec>? OutputObjectives =>
        (Experiment?.Spec().Outputs ?? (Checkpoint?.Outputs is { Count: > 0 } outputs ? outputs : null))
            ?.Select(o => o with { Loss = OutputObjective.Loss(o.Loss, Model, Model.OutputNames.ToList().IndexOf(o.Name)) }).ToArray();

    /// <summary>
    /// The model's inputs, in its order, from raw samples by input name (one unnamed array for a
    /// one-input model: key ""): each reshaped to the input's sample shape when only its layout
    /// differs (IDX images of 28×28 for a (1, 28, 28) input), then preprocessed as in training.
    /// Names, count and shapes that do not fit fail in one line naming the file and the input.
    /// </summary>
    public Tensor[] PrepareInputs(IReadOnlyDictionary<string, Tensor> samples)
    {
        var names = Model.InputNames;
        if (samples.Count == 1 && samples.ContainsKey("") && names.Count == 1) samples = new Dictionary<string, Tensor> { [names[0]] = samples[""] };
        if (samples.ContainsKey(""))
            throw new ModelFileException(Path, $"has {names.Count} inputs ({string.Join(", ", names)}); give each as NAME=SPEC");
        foreach (string name in samples.Keys)
            if (!names.Contains(name)) throw new ModelFileException(Path, $"has no input '{name}'; {NameSuggestions.Hint(name, names)}");
        var prepared = new Tensor[names.Count];
        int? count = null;
        for (int i = 0; i < names.Count; i++)
        {
            var data = samples.TryGetValue(names[i], out var given) ? given
                : throw new ModelFileException(Path, $"input '{names[i]}' is not given (the model's inputs: {string.Join(", ", names)})");
            if (data.Rank == 0) throw new ModelFileException(Path, $"input '{names[i]}' needs samples along a first axis, got a scalar");
            if (count is int n && data.Shape[0] != n)
                throw new ModelFileException(Path, $"input '{names[i]}' has {data.Shape[0]} samples, the inputs before it {n}");
            count = data.Shape[0];
            // With preprocessing, the raw samples have the shape it was fitted on (it may change it, as PCA does).
            var pipeline = Preprocessing.GetValueOrDefault(names[i]);
            var raw = pipeline?.SampleShape ?? Model.InputShapes[i];
            data = Fit(data, raw);
            if (new Shape(data.Shape.ToArray()[1..]) != raw)
                throw new ModelFileException(Path, $"input '{names[i]}' takes samples of shape {raw}, got {data.Shape} ({data.Shape[0]} samples of {Samples(data.Shape)})");
            prepared[i] = pipeline is null ? data : Fit(pipeline.Transform(data), Model.InputShapes[i]);
        }
        return prepared;
    }

    /// <summary>The samples of <paramref name="data"/> as the model takes them (see <see cref="PrepareInputs"/>); targets unchanged.</summary>
    public Dataset Prepare(Dataset data)
    {
        data = MatchInputNames(data);
        var prepared = PrepareInputs(data.Inputs.ToDictionary(i => i.Name, i => i.Data, StringComparer.Ordinal));
        return Model.InputNames.Zip(prepared).Aggregate(data, (d, input) => d.WithInput(input.First, input.Second));
    }

    /// <summary>
    /// The samples under the model's input name when both have one input of different names (a registered
    /// set's 'image' for PyTorch's 'input0'): one array feeds a one-input model whatever it is called, as in Keras.
    /// </summary>
    public Dataset MatchInputNames(Dataset data) =>
        data.Inputs.Count == 1 && Model.InputNames.Count == 1 && data.Inputs[0].Name != Model.InputNames[0]
            ? new Dataset([(Model.InputNames[0], data.Inputs[0].Data)], data.Target, data.Labels, data.ClassCount, data.OutputColumns)
            : data;

    /// <summary>The same values in the input's layout when only the layout differs.</summary>
    private static Tensor Fit(Tensor data, Shape sample) =>
        data.Shape.SizeFrom(1) == sample.Size && data.Rank != sample.Rank + 1 ? data.Reshape([data.Shape[0], .. sample.ToArray()]) : data;

    private static string Samples(Shape shape) => "(" + string.Join(", ", shape.ToArray()[1..]) + ")";

    private (ComponentConfig, IReadOnlyList<ComponentConfig>) ObjectiveOf(Experiment experiment)
    {
        var spec = experiment.Spec();
        return (OutputObjective.Loss(spec.Loss, Model), spec.Metrics);
    }

    /// <summary>Reads a Sparta model file (<c>.sparta</c>, or a <c>.zip</c> checkpoint).</summary>
    public static SavedModel FromSpartaFile(string path)
    {
        var file = ModelFile.Load(path);
        Experiment? experiment = null;
        if (file.ExperimentYaml is { } yaml)
        {
            string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            try { experiment = Experiment.Parse(yaml, $"{path}:experiment.yaml", directory); }
            catch (ExperimentException e) { throw new ModelFileException(path, $"experiment.yaml: {e.Message}", e); }
        }
        return new SavedModel(path, file.Model, file.Preprocessing, experiment, file.HasTrainingState ? file : null);
    }
}
