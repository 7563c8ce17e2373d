using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// Averages the predictions of several trained models of the same inputs and output shape
/// (e.g. the same architecture trained from different seeds): the ensemble of the slides'
/// regularization list. Average probabilities, not logits, when the models end in logits:
/// pass <paramref name="transform"/> (e.g. softmax) to apply to each model's output first.
/// </summary>
public sealed class Ensemble
{
    private readonly Model[] _models;
    private readonly Func<Tensor, Tensor>? _transform;

    public Ensemble(IEnumerable<Model> models, Func<Tensor, Tensor>? transform = null)
    {
        _models = models.ToArray();
        if (_models.Length == 0) throw new ArgumentException("ensemble: needs at least one model", nameof(models));
        var first = _models[0];
        foreach (var model in _models)
            if (!model.InputNames.SequenceEqual(first.InputNames) || !model.InputShapes.SequenceEqual(first.InputShapes) || model.OutputShape != first.OutputShape)
                throw new ArgumentException($"ensemble: model '{model.Name}' takes or gives other shapes than model '{first.Name}'", nameof(models));
        _transform = transform;
    }

    public IReadOnlyList<Model> Models => _models;

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
