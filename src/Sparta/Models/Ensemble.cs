using Sparta.Autograd;
using Sparta.Losses;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// Averages the predictions of several trained models of the same inputs and output shape
/// (e.g. the same architecture trained from different seeds): the ensemble of the slides'
/// regularization list. Average probabilities, not logits, when the models end in logits:
/// pass a <c>transform</c> (e.g. softmax) to apply to each model's output first.
/// </summary>
public sealed class Ensemble
{
    private readonly Model[] _models;
    private readonly Func<Tensor, Tensor>? _transform;

    private readonly Func<Tensor, Tensor>? _inverse;

    public Ensemble(IEnumerable<Model> models, Func<Tensor, Tensor>? transform = null) : this(models, transform, null)
    {
    }

    private Ensemble(IEnumerable<Model> models, Func<Tensor, Tensor>? transform, Func<Tensor, Tensor>? inverse)
    {
        _inverse = inverse;
        _models = models.ToArray();
        if (_models.Length == 0) throw new ArgumentException("ensemble: needs at least one model", nameof(models));
        var first = _models[0];
        foreach (var model in _models)
            if (!model.InputNames.SequenceEqual(first.InputNames) || !model.InputShapes.SequenceEqual(first.InputShapes) || model.OutputShape != first.OutputShape)
                throw new ArgumentException($"ensemble: model '{model.Name}' takes or gives other shapes than model '{first.Name}'", nameof(models));
        _transform = transform;
    }

    /// <summary>
    /// The ensemble that averages what <paramref name="loss"/> reads the outputs as: the probabilities of
    /// a cross-entropy on logits (softmax over axis 1, or sigmoid for the binary one), else the outputs themselves.
    /// </summary>
    public static Ensemble For(IEnumerable<Model> models, Loss loss) => loss switch
    {
        SparseCategoricalCrossEntropy { FromLogits: true } or CategoricalCrossEntropy { FromLogits: true } =>
            new(models, o => o.Softmax(1), p => TensorMath.Log(TensorMath.Clamp(p, MinProbability, 1))),
        BinaryCrossEntropy { FromLogits: true } => new(models, o => o.Sigmoid(), Logit),
        _ => new(models, null, null),
    };

    // Keeps log(p) finite when every member is certain of another class.
    private const float MinProbability = 1e-7f;

    private static Tensor Logit(Tensor p)
    {
        var clamped = TensorMath.Clamp(p, MinProbability, 1 - MinProbability);
        return TensorMath.Log(TensorMath.Divide(clamped, TensorMath.Add(TensorMath.Negate(clamped), 1f)));
    }

    public IReadOnlyList<Model> Models => _models;

    /// <summary>
    /// The average in the members' own output terms (logits again from averaged probabilities, for an
    /// ensemble made <see cref="For"/> a loss on logits), so a loss and metrics read it as one member's output.
    /// </summary>
    public Tensor PredictOutputs(IReadOnlyList<Tensor> inputs)
    {
        var average = Average(m => m.Forward(inputs));
        using var _ = Tape.NoGrad();
        return _inverse is null ? average : _inverse(average);
    }

    /// <summary>The mean of the (transformed) outputs, in inference mode and off the tape.</summary>
    public Tensor Predict(IReadOnlyDictionary<string, Tensor> inputs) => Average(m => m.Forward(inputs));

    public Tensor Predict(Tensor x) => Average(m => m.Forward(x));

    private Tensor Average(Func<Model, Tensor> forward)
    {
        using var _ = Tape.NoGrad();
        Tensor? sum = null;
        foreach (var model in _models)
        {
            var output = forward(model);
            if (_transform is not null) output = _transform(output);
            sum = sum is null ? output.Clone() : TensorMath.Add(sum, output, sum);
        }
        return TensorMath.Multiply(sum!, 1f / _models.Length, sum);
    }
}
