using System.Numerics.Tensors;
using Sparta.Autograd;
using Sparta.Models;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Training;

/// <summary>
/// Several trained models of one input/output signature whose predictions are averaged (model
/// averaging: the errors of independently trained networks partly cancel). For classifiers that
/// output logits, <c>probabilities: true</c> averages the softmax of each model rather than logits.
/// </summary>
public sealed class Ensemble
{
    private readonly Model[] _models;

    public Ensemble(IEnumerable<Model> models, bool probabilities = false)
    {
        _models = models?.ToArray() ?? throw new ArgumentNullException(nameof(models));
        if (_models.Length == 0) throw new ArgumentException("ensemble: needs at least one model", nameof(models));
        var first = _models[0];
        foreach (var model in _models.Skip(1))
        {
            if (!model.InputNames.SequenceEqual(first.InputNames) || !model.InputShapes.SequenceEqual(first.InputShapes) || model.OutputShape != first.OutputShape)
                throw new ArgumentException($"ensemble: model '{model.Name}' has inputs ({string.Join(", ", model.InputShapes)}) and output {model.OutputShape}, unlike '{first.Name}' ({string.Join(", ", first.InputShapes)}) -> {first.OutputShape}", nameof(models));
        }
        Probabilities = probabilities;
    }

    public IReadOnlyList<Model> Models => _models;
    public bool Probabilities { get; }

    /// <summary>The mean of the members' outputs for the samples of a one-input model.</summary>
    public Tensor Predict(Tensor inputs, int batchSize = 256) => Predict([inputs], batchSize);

    /// <summary>The mean of the members' outputs for samples given by input name.</summary>
    public Tensor Predict(IReadOnlyDictionary<string, Tensor> inputs, int batchSize = 256) =>
        Predict(Predictor.Ordered(_models[0], inputs), batchSize);

    private Tensor Predict(IReadOnlyList<Tensor> inputs, int batchSize)
    {
        Tensor? sum = null;
        foreach (var model in _models)
        {
            var output = Predictor.Predict(model, inputs, batchSize);
            if (Probabilities)
                using (Tape.NoGrad()) output = output.Softmax();
            if (sum is null) sum = output;
            else TensorPrimitives.Add(sum.Span, output.Span, sum.Span);
        }
        TensorPrimitives.Multiply(sum!.Span, 1f / _models.Length, sum.Span);
        return sum;
    }
}
