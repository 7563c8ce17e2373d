using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Every element-wise operator's vector path, at each width (128, 256 and 512 bits, emulated where the
/// processor lacks it) and as dispatched, against its own scalar path, on ragged lengths.
/// </summary>
public class ElementwiseTests
{
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 63, 64, 100];

    public static TheoryData<string> UnaryNames => new(Unary.Keys);
    public static TheoryData<string> BinaryNames => new(Binary.Keys);

    private static readonly Dictionary<string, Action<float[], float[]>> Unary = new()
    {
        ["power2"] = (x, r) => Check(new PowerOperator(2f), x, r),
        ["power3"] = (x, r) => Check(new PowerOperator(3f), x, r),
        ["power-1.5"] = (x, r) => Check(new PowerOperator(-1.5f), x, r),
        ["power0.5"] = (x, r) => Check(new PowerOperator(0.5f), x, r),
        ["power0"] = (x, r) => Check(new PowerOperator(0f), x, r),
        ["clamp"] = (x, r) => Check(new ClampOperator(-0.5f, 1.5f), x, r),
        ["affine"] = (x, r) => Check(new AffineOperator(1.5f, -0.25f), x, r),
        ["relu"] = (x, r) => Check(new ReluOperator(), x, r),
        ["leaky_relu"] = (x, r) => Check(new LeakyReluOperator(0.1f), x, r),
        ["elu"] = (x, r) => Check(new EluOperator(1.3f), x, r),
        ["sigmoid"] = (x, r) => Check(new SigmoidOperator(), x, r),
        ["softplus"] = (x, r) => Check(new SoftplusOperator(), x, r),
        ["swish"] = (x, r) => Check(new SwishOperator(), x, r),
        ["bind_second_sub"] = (x, r) => Check(new BindSecond<SubtractOperator>(new SubtractOperator(), 0.25f), x, r),
        ["bind_first_div"] = (x, r) => Check(new BindFirst<DivideOperator>(new DivideOperator(), 3f), x, r),
    };

    private static readonly Dictionary<string, Action<float[], float[], float[]>> Binary = new()
    {
        ["add"] = (x, y, r) => Check(new AddOperator(), x, y, r),
        ["sub"] = (x, y, r) => Check(new SubtractOperator(), x, y, r),
        ["mul"] = (x, y, r) => Check(new MultiplyOperator(), x, y, r),
        ["div"] = (x, y, r) => Check(new DivideOperator(), x, y, r),
        ["maximum"] = (x, y, r) => Check(new MaximumOperator(), x, y, r),
        ["ge_mask"] = (x, y, r) => Check(new GreaterOrEqualMask(), x, y, r),
        ["relu_backward"] = (x, y, r) => Check(new ReluBackward(), x, y, r),
        ["leaky_relu_backward"] = (x, y, r) => Check(new LeakyReluBackward(0.2f), x, y, r),
        ["elu_backward"] = (x, y, r) => Check(new EluBackward(0.7f), x, y, r),
        ["sigmoid_backward"] = (x, y, r) => Check(new SigmoidBackward(), x, y, r),
        ["tanh_backward"] = (x, y, r) => Check(new TanhBackward(), x, y, r),
        ["softplus_backward"] = (x, y, r) => Check(new SoftplusBackward(), x, y, r),
        ["swish_backward"] = (x, y, r) => Check(new SwishBackward(), x, y, r),
        ["sqrt_backward"] = (x, y, r) => Check(new SqrtBackward(), x, y, r),
        ["power_backward"] = (x, y, r) => Check(new PowerBackward(3f), x, y, r),
        ["abs_backward"] = (x, y, r) => Check(new AbsBackward(), x, y, r),
        ["clamp_backward"] = (x, y, r) => Check(new ClampBackward(-1f, 1f), x, y, r),
    };

    [Theory, MemberData(nameof(UnaryNames))]
    public void UnaryVectorPathMatchesScalarPath(string name)
    {
        foreach (int n in Lengths) Unary[name](Values(n, 1), new float[n]);
    }

    [Theory, MemberData(nameof(BinaryNames))]
    public void BinaryVectorPathMatchesScalarPath(string name)
    {
        foreach (int n in Lengths) Binary[name](Values(n, 1), Values(n, 2), new float[n]);
    }

    [Fact]
    public void VectorExpIsWithinTwoUlpOfMathFAtEveryWidth()
    {
        CheckExp<Float1>();
        CheckExp<Float128>();
        CheckExp<Float256>();
        CheckExp<Float512>();
    }

    private static void CheckExp<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        var x = new float[TVector.Count];
        var y = new float[TVector.Count];
        for (float start = -110f; start < 95f; start += TVector.Count * 0.0371f)
        {
            for (int i = 0; i < x.Length; i++) x[i] = start + i * 0.0371f;
            ElementwiseExp.Exp(TVector.Load(ref x[0], 0)).Store(ref y[0], 0);
            for (int i = 0; i < x.Length; i++)
            {
                float expected = MathF.Exp(x[i]), actual = y[i];
                if (float.IsInfinity(expected) || expected == 0f) { Assert.Equal(expected, actual); continue; }
                // Two units in the last place; subnormals have fewer significant bits, hence the absolute floor.
                Assert.True(MathF.Abs(expected - actual) <= 2.4e-7f * expected + 3e-45f,
                    $"{typeof(TVector).Name} exp({x[i]}): MathF {expected}, vector {actual}");
            }
        }
    }

    [Fact]
    public void LengthOneOperandBroadcastsAlongTheSpan()
    {
        var x = Values(37, 3);
        var result = new float[37];
        Elementwise.Map(new SubtractOperator(), x, [2f], result);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] - 2f, result[i]);
        Elementwise.Map(new SubtractOperator(), [2f], x, result);
        for (int i = 0; i < x.Length; i++) Assert.Equal(2f - x[i], result[i]);
    }

    [Fact]
    public void InPlaceUpdateIsAllowed()
    {
        var x = Values(41, 4);
        var expected = x.Select(v => v * v).ToArray();
        Elementwise.Map(new MultiplyOperator(), x, x, x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void MismatchedLengthsNameTheOperand()
    {
        var e = Assert.Throws<ArgumentException>(() => Elementwise.Map(new AddOperator(), new float[3], new float[4], new float[3]));
        Assert.Contains("y holds 4 values", e.Message);
    }

    /// <summary>Values in [-4, 4] with exact zeros and ±1 sprinkled in, where operators have kinks.</summary>
    internal static float[] Values(int n, ulong seed)
    {
        var values = new float[n];
        new RandomGenerator(seed).FillUniform(values, -4, 4);
        for (int i = 0; i < n; i += 7) values[i] = (i / 7 % 3) - 1;
        return values;
    }

    private static void Check<TOp>(TOp op, float[] x, float[] result) where TOp : struct, IUnaryOperator
    {
        var expected = new float[x.Length];
        Elementwise.MapScalar(op, x, expected);
        Elementwise.Map(op, x, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float128>(op, x, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float256>(op, x, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float512>(op, x, result);
        AssertClose(expected, result);
    }

    private static void Check<TOp>(TOp op, float[] x, float[] y, float[] result) where TOp : struct, IBinaryOperator
    {
        var expected = new float[x.Length];
        Elementwise.MapScalar(op, x, y, expected);
        Elementwise.Map(op, x, y, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float128>(op, x, y, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float256>(op, x, y, result);
        AssertClose(expected, result);
        Elementwise.MapWith<TOp, Float512>(op, x, y, result);
        AssertClose(expected, result);
    }

    /// <summary>The vector exp/log differ from MathF's by a few ulps; NaN and infinities must match exactly.</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(expected[i])) { Assert.Equal(expected[i], actual[i]); continue; }
            float tolerance = 2e-6f * MathF.Max(1f, MathF.Abs(expected[i]));
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance, $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
