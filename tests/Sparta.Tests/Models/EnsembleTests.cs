using Sparta.Losses;
using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Models;

public class EnsembleTests
{
    private static Model Member(ulong seed) => new Sequential([4], [new Dense(5, "tanh"), new Dense(3)], seed: seed);

    [Fact]
    public void PredictionIsTheMeanOfTheMembersOutputs()
    {
        var models = new[] { Member(1), Member(2), Member(3) };
        var x = Tensor.Zeros(6, 4);
        new RandomGenerator(4).FillUniform(x.Span, -1, 1);
        var outputs = models.Select(m => m.Forward(x).Softmax().ToArray()).ToArray();
        var averaged = new Ensemble(models, y => y.Softmax()).Predict(x).ToArray();
        for (int i = 0; i < averaged.Length; i++)
            Assert.Equal(outputs.Average(o => (double)o[i]), averaged[i], 5);
    }

    [Fact]
    public void MembersMustAgreeOnShapes()
    {
        var other = new Sequential([4], [new Dense(2)], "other");
        var error = Assert.Throws<ArgumentException>(() => new Ensemble([Member(1), other]));
        Assert.Contains("model 'other'", error.Message);
    }

    [Fact]
    public void ForALossOnLogitsTheOutputsAreLogitsOfTheMeanProbabilities()
    {
        var x = Tensor.Zeros(5, 4);
        new RandomGenerator(7).FillUniform(x.Span, -1, 1);
        var binary = new[] { 1, 2 }.Select(seed => new Sequential([4], [new Dense(3, "tanh"), new Dense(1)], seed: (ulong)seed)).ToArray();
        var outputs = Ensemble.For(binary, LossRegistry.Create("binary_crossentropy")).PredictOutputs([x]).ToArray();
        var logits = binary.Select(m => m.Forward(x).ToArray()).ToArray();
        for (int i = 0; i < 5; i++)
        {
            double p = logits.Average(l => 1 / (1 + Math.Exp(-l[i])));
            Assert.Equal(Math.Log(p / (1 - p)), outputs[i], 4);
        }

        var classes = Ensemble.For([Member(1), Member(2)], LossRegistry.Create("sparse_categorical_crossentropy")).PredictOutputs([x]);
        var probabilities = new[] { Member(1), Member(2) }.Select(m => m.Forward(x).Softmax().ToArray()).ToArray();
        var back = classes.ToArray();
        for (int i = 0; i < back.Length; i++) Assert.Equal(Math.Log(probabilities.Average(p => (double)p[i])), back[i], 4);

        // A regression loss averages the outputs themselves.
        var plain = Ensemble.For([Member(1), Member(2)], LossRegistry.Create("mse")).PredictOutputs([x]).ToArray();
        Assert.Equal(new Ensemble([Member(1), Member(2)]).Predict(x).ToArray(), plain);
    }
}
