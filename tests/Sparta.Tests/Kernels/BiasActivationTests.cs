using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

public class BiasActivationTests
{
    private const float Alpha = 0.1f;

    /// <summary>The kind by name: the kernels are internal, and a public test method cannot take their types.</summary>
    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (string kind in Enum.GetNames<BiasActivationKind>())
        {
            data.Add(kind, 5, 37, 1);  // dense: bias along rows, ragged width
            data.Add(kind, 150, 19, 1);  // dense: three blocks of rows, the last short, their bias sums added
            data.Add(kind, 3, 4, 21);  // convolution: one bias per plane of 21 pixels
            data.Add(kind, 2, 3, 32);  // whole vectors only
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheFormula(string kindName, int outer, int channels, int inner)
    {
        var kind = Enum.Parse<BiasActivationKind>(kindName);
        var x = RandomFloats(outer * channels * inner, 1, scale: 4f);
        var b = RandomFloats(channels, 2);
        var y = new float[x.Length];
        BiasActivation.Forward(kind, Alpha, outer, channels, inner, x, b, y);
        var expected = new double[x.Length];
        BiasActivationScalar.Forward(kind, Alpha, outer, channels, inner, ToDouble(x), ToDouble(b), expected);
        AssertClose(expected, y, 2e-6, 2e-6, kind.ToString());

        BiasActivation.Forward(kind, Alpha, outer, channels, inner, x, default, y);
        BiasActivationScalar.Forward(kind, Alpha, outer, channels, inner, ToDouble(x), default, expected);
        AssertClose(expected, y, 2e-6, 2e-6, $"{kind} without bias");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string kindName, int outer, int channels, int inner)
    {
        var kind = Enum.Parse<BiasActivationKind>(kindName);
        // Keep inputs away from relu's kink, where a finite difference straddles two slopes.
        var x = RandomFloats(outer * channels * inner, 3, scale: 3f).Select(v => v + MathF.CopySign(0.05f, v)).ToArray();
        var b = new float[channels];
        var upstream = RandomFloats(x.Length, 4);
        float[] y = new float[x.Length], dx = new float[x.Length], db = new float[channels];
        BiasActivation.Forward(kind, Alpha, outer, channels, inner, x, b, y);
        BiasActivation.Backward(kind, Alpha, outer, channels, inner, y, upstream, dx, db);

        double[] xd = ToDouble(x), bd = ToDouble(b);
        double[] Forward() { var o = new double[x.Length]; BiasActivationScalar.Forward(kind, Alpha, outer, channels, inner, xd, bd, o); return o; }
        AssertClose(NumericGradient(xd, upstream, Forward), dx, 1e-4, 1e-3, $"{kind} input gradient");
        AssertClose(NumericGradient(bd, upstream, Forward), db, 1e-4, 1e-3, $"{kind} bias gradient");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryVectorWidthMatchesTheFormulaAndTheDispatchedBackward(string kindName, int outer, int channels, int inner)
    {
        var kind = Enum.Parse<BiasActivationKind>(kindName);
        CheckWidth<Float128>(kind, outer, channels, inner);
        CheckWidth<Float256>(kind, outer, channels, inner);
        CheckWidth<Float512>(kind, outer, channels, inner);
    }

    /// <summary>One width's forward against the scalar formula, its backward against the dispatched one (checked by finite differences above).</summary>
    private static unsafe void CheckWidth<TVector>(BiasActivationKind kind, int outer, int channels, int inner)
        where TVector : struct, IFloatVector<TVector>
    {
        var x = RandomFloats(outer * channels * inner, 5, scale: 4f);
        var b = RandomFloats(channels, 6);
        var upstream = RandomFloats(x.Length, 7);
        float[] y = new float[x.Length], dx = new float[x.Length], db = new float[channels];
        float[] dxDispatched = new float[x.Length], dbDispatched = new float[channels];
        fixed (float* xp = x, bp = b, yp = y, up = upstream, dxp = dx, dbp = db)
        {
            switch (kind)
            {
                case BiasActivationKind.Identity: Run<IdentityOp, TVector>(new IdentityOp(), outer, channels, inner, xp, bp, yp, up, dxp, dbp); break;
                case BiasActivationKind.Relu: Run<ReluOp, TVector>(new ReluOp(), outer, channels, inner, xp, bp, yp, up, dxp, dbp); break;
                case BiasActivationKind.LeakyRelu: Run<LeakyReluOp, TVector>(new LeakyReluOp(Alpha), outer, channels, inner, xp, bp, yp, up, dxp, dbp); break;
                case BiasActivationKind.Sigmoid: Run<SigmoidOp, TVector>(new SigmoidOp(), outer, channels, inner, xp, bp, yp, up, dxp, dbp); break;
                case BiasActivationKind.Tanh: Run<TanhOp, TVector>(new TanhOp(), outer, channels, inner, xp, bp, yp, up, dxp, dbp); break;
            }
        }
        var expected = new double[x.Length];
        BiasActivationScalar.Forward(kind, Alpha, outer, channels, inner, ToDouble(x), ToDouble(b), expected);
        string width = typeof(TVector).Name;
        AssertClose(expected, y, 2e-6, 2e-6, $"{kind} forward, {width}");
        BiasActivation.Backward(kind, Alpha, outer, channels, inner, y, upstream, dxDispatched, dbDispatched);
        AssertClose(ToDouble(dxDispatched), dx, 1e-6, 1e-6, $"{kind} input gradient, {width}");
        AssertClose(ToDouble(dbDispatched), db, 1e-5, 1e-5, $"{kind} bias gradient, {width}");
    }

    private static unsafe void Run<TOp, TVector>(TOp op, int outer, int channels, int inner, float* x, float* b, float* y, float* upstream, float* dx, float* db)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        BiasActivation.Forward<TOp, TVector>(op, outer, channels, inner, x, b, y);
        BiasActivation.Backward<TOp, TVector>(op, outer, channels, inner, y, upstream, dx, db);
    }

    [Fact]
    public void TanhKeepsRelativePrecisionForTinyAndMidSizedInputs()
    {
        // Tiny activations (a std-0.01 initialization several layers deep) must not lose their
        // leading digits to cancellation; the values span the polynomial and the exponential branch.
        float[] x = Enumerable.Range(0, 64).Select(i => MathF.CopySign(1e-7f * MathF.Pow(1.35f, i), i % 2 == 0 ? 1f : -1f)).ToArray();
        var y = new float[x.Length];
        BiasActivation.Forward(BiasActivationKind.Tanh, 0, 1, x.Length, 1, x, default, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Tanh(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 4e-7 * Math.Abs(expected), $"tanh({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void ForwardAndBackwardRunInPlace()
    {
        var x = RandomFloats(3 * 5 * 19, 5, scale: 2f);
        var b = RandomFloats(5, 6);
        var upstream = RandomFloats(x.Length, 7);
        float[] y = new float[x.Length], dx = new float[x.Length];
        BiasActivation.Forward(BiasActivationKind.Tanh, 0, 3, 5, 19, x, b, y);
        BiasActivation.Backward(BiasActivationKind.Tanh, 0, 3, 5, 19, y, upstream, dx, default);
        BiasActivation.Forward(BiasActivationKind.Tanh, 0, 3, 5, 19, x, b, x);
        BiasActivation.Backward(BiasActivationKind.Tanh, 0, 3, 5, 19, x, upstream, upstream, default);
        AssertBitwiseEqual(y, x, "forward");
        AssertBitwiseEqual(dx, upstream, "backward");
    }

    [Fact]
    public void BadArgumentsAreNamedWithTheValueReceived()
    {
        AssertArgumentError(() => BiasActivation.Forward(BiasActivationKind.LeakyRelu, -0.5f, 2, 3, 1, new float[6], default, new float[6]), "alpha", "got -0.5");
        AssertArgumentError(() => BiasActivation.Forward((BiasActivationKind)42, 0, 2, 3, 1, new float[6], default, new float[6]), "kind", "42");
        AssertArgumentError(() => BiasActivation.Forward(BiasActivationKind.Relu, 0, 2, 3, 1, new float[6], new float[2], new float[6]), "bias", "got 2");
        AssertArgumentError(() => BiasActivation.Forward(BiasActivationKind.Relu, 0, 2, 3, 4, new float[23], default, new float[24]), "input", "2x3x4=24", "got 23");
        AssertArgumentError(() => BiasActivation.Backward(BiasActivationKind.Relu, 0, 2, 3, 1, new float[6], new float[6], new float[6], new float[4]), "biasGrad", "got 4");
        AssertArgumentError(() => BiasActivation.Backward(BiasActivationKind.Relu, 0, 2, 0, 1, default, default, default, default), "channels", "got 0");
    }
}
