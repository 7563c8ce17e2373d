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
}
