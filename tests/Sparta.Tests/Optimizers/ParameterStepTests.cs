using Sparta.Kernels.Vectors;
using Sparta.Optimizers;
using Sparta.Tests.Kernels;

namespace Sparta.Tests.Optimizers;

/// <summary>
/// Each optimizer's update at every vector width (emulated where the processor lacks it) against the
/// same update one element at a time: the operations are the same IEEE ones, so the results are equal bit for bit.
/// </summary>
public class ParameterStepTests
{
    private const int Size = 37;

    [Fact] public void Adam() => CheckEveryWidth(new AdamStep(0.9f, 0.1f, 0.999f, 1e-3f, 10f, 1000f, 1e-7f, 1e-3f));
    [Fact] public void RmsProp() => CheckEveryWidth(new RmsPropStep(0.9f, 0.1f, 1e-7f, 1e-3f));
    [Fact] public void Adagrad() => CheckEveryWidth(new AdagradStep(1e-7f, 1e-2f));
    [Fact] public void Momentum() => CheckEveryWidth(new MomentumStep(0.9f, -0.01f, nesterov: false));
    [Fact] public void Nesterov() => CheckEveryWidth(new MomentumStep(0.9f, -0.01f, nesterov: true));

    private static void CheckEveryWidth<TStep>(TStep step) where TStep : struct, IParameterStep
    {
        var (value, first, second) = Apply<TStep, Float1>(step);
        foreach (var (v, f, s) in new[] { Apply<TStep, Float128>(step), Apply<TStep, Float256>(step), Apply<TStep, Float512>(step) })
        {
            Assert.Equal(value, v);
            Assert.Equal(first, f);
            Assert.Equal(second, s);
        }
    }

    /// <summary>Three updates with <typeparamref name="TVector"/>'s whole vectors, the rest one element at a time.</summary>
    private static (float[] Value, float[] First, float[] Second) Apply<TStep, TVector>(TStep step)
        where TStep : struct, IParameterStep where TVector : struct, IFloatVector<TVector>
    {
        float[] value = ElementwiseTests.Values(Size, 1), gradient = ElementwiseTests.Values(Size, 2);
        float[] first = ElementwiseTests.Values(Size, 3), second = ElementwiseTests.Values(Size, 4).Select(MathF.Abs).ToArray();
        for (int t = 0; t < 3; t++)
        {
            int done = ParameterSteps.Run<TStep, TVector>(step, value, gradient, first, second, 0);
            ParameterSteps.Run<TStep, Float1>(step, value, gradient, first, second, done);
        }
        return (value, first, second);
    }
}
