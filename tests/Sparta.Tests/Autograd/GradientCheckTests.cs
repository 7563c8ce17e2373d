using Sparta.Kernels;
using Sparta.Autograd;
using Sparta.Tensors;
using Sparta.Tests.Layers;

namespace Sparta.Tests.Autograd;

/// <summary>
/// One table of every differentiable op: the float op under test beside a reference forward in
/// double. Each case checks (a) the float forward against the reference and (b) the tape's float
/// gradient of Σ w·op(x), for random weights w, against central finite differences of the double
/// reference.
/// </summary>
public class GradientCheckTests
{
    private enum Domain { Any, Positive }

    private sealed record Case(int[][] Shapes, Domain Domain, Func<Tensor[], Tensor> Op, Func<Reference[], Reference> Reference);

    private static readonly double[] Mask = [1, 0, 0, 1, 1, 0];
    private static readonly int[] Rows = [2, 0, 2, 1];

    private static Case Unary(Func<Tensor, Tensor> op, Func<double, double> f, Domain domain = Domain.Any, int[]? shape = null)
        => new([shape ?? [3, 5]], domain, x => op(x[0]), x => x[0].Map(f));

    private static Case Binary(Func<Tensor, Tensor, Tensor> op, Func<double, double, double> f, int[] a, int[] b, Domain domain = Domain.Any)
        => new([a, b], domain, x => op(x[0], x[1]), x => Reference.Zip(x[0], x[1], f));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["add"] = Binary((a, b) => a + b, (a, b) => a + b, [3, 4], [3, 4]),
        ["add_broadcast"] = Binary(Ops.Add, (a, b) => a + b, [2, 3, 4], [3, 1]),
        ["subtract_broadcast"] = Binary((a, b) => a - b, (a, b) => a - b, [4], [3, 1]),
        ["multiply_broadcast"] = Binary((a, b) => a * b, (a, b) => a * b, [2, 1, 4], [3, 4]),
        ["divide_broadcast"] = Binary((a, b) => a / b, (a, b) => a / b, [3, 4], [4], Domain.Positive),
        ["maximum"] = Binary(Ops.Maximum, Math.Max, [3, 4], [4]),
        ["scalar_arithmetic"] = Unary(x => (2f - x) * 3f / 4f + 1f, x => (2 - x) * 3 / 4 + 1),
        ["scalar_divided_by"] = Unary(x => 2f / x, x => 2 / x, Domain.Positive),
        ["negate"] = Unary(x => -x, x => -x),
        ["exp"] = Unary(Ops.Exp, Math.Exp),
        ["log"] = Unary(Ops.Log, Math.Log, Domain.Positive),
        ["sqrt"] = Unary(Ops.Sqrt, Math.Sqrt, Domain.Positive),
        ["pow_3"] = Unary(x => x.Pow(3f), x => x * x * x),
        ["pow_fractional"] = Unary(x => x.Pow(-1.5f), x => Math.Pow(x, -1.5), Domain.Positive),
        ["abs"] = Unary(Ops.Abs, Math.Abs),
        ["clamp"] = Unary(x => x.Clamp(-0.5f, 1f), x => Math.Clamp(x, -0.5, 1)),
        ["relu"] = Unary(Ops.Relu, x => Math.Max(x, 0)),
        ["leaky_relu"] = Unary(x => x.LeakyRelu(0.1f), x => x > 0 ? x : 0.1 * x),
        ["elu"] = Unary(x => x.Elu(0.7f), x => x > 0 ? x : 0.7 * (Math.Exp(x) - 1)),
        ["sigmoid"] = Unary(Ops.Sigmoid, Sigmoid),
        ["tanh"] = Unary(Ops.Tanh, Math.Tanh),
        ["softplus"] = Unary(Ops.Softplus, x => Math.Log(1 + Math.Exp(x))),
        ["swish"] = Unary(Ops.Swish, x => x * Sigmoid(x)),
        ["sum_all"] = new([[2, 3, 4]], Domain.Any, x => x[0].Sum(), x => x[0].Sum()),
        ["sum_axis"] = new([[2, 3, 4]], Domain.Any, x => x[0].Sum(1), x => x[0].Sum(1, false)),
        ["sum_axis_keepdims"] = new([[2, 3, 4]], Domain.Any, x => x[0].Sum(-1, keepDims: true), x => x[0].Sum(2, true)),
        ["mean_all"] = new([[3, 4]], Domain.Any, x => x[0].Mean(), x => x[0].Sum().Map(v => v / 12)),
        ["mean_axis"] = new([[3, 4]], Domain.Any, x => x[0].Mean(0), x => x[0].Sum(0, false).Map(v => v / 3)),
        ["global_average_pool2d"] = new([[2, 3, 2, 3]], Domain.Any, x => x[0].GlobalAveragePool2D(), x => x[0].Reshape(2, 3, 6).Sum(2, false).Map(v => v / 6)),
        ["max_axis"] = new([[2, 3, 4]], Domain.Any, x => x[0].Max(1), x => x[0].Max(1, false)),
        ["max_last_axis_keepdims"] = new([[3, 5]], Domain.Any, x => x[0].Max(-1, keepDims: true), x => x[0].Max(1, true)),
        ["reshape"] = new([[2, 6]], Domain.Any, x => x[0].Reshape(3, -1) * x[0].Reshape(3, 4), x => Reference.Zip(x[0].Reshape(3, 4), x[0].Reshape(3, 4), (a, b) => a * b)),
        ["broadcast_to"] = new([[3, 1]], Domain.Any, x => x[0].BroadcastTo(new Shape(2, 3, 4)), x => x[0].BroadcastTo([2, 3, 4])),
        ["transpose"] = new([[3, 4]], Domain.Any, x => x[0].Transpose(), x => x[0].Permute([1, 0])),
        ["permute"] = new([[2, 3, 4]], Domain.Any, x => x[0].Permute(1, 2, 0), x => x[0].Permute([1, 2, 0])),
        ["matmul"] = MatMul([3, 4], [4, 5], false, false),
        ["matmul_at"] = MatMul([4, 3], [4, 5], true, false),
        ["matmul_bt"] = MatMul([3, 4], [5, 4], false, true),
        ["matmul_at_bt"] = MatMul([4, 3], [5, 4], true, true),
        ["matmul_batched"] = MatMul([2, 3, 4], [2, 4, 5], false, false),
        ["matmul_batched_at"] = MatMul([2, 4, 3], [2, 4, 5], true, false),
        ["matmul_batched_bt"] = MatMul([2, 3, 4], [2, 5, 4], false, true),
        ["matmul_batched_shared"] = MatMul([2, 3, 4], [4, 5], false, false),
        ["matmul_batched_shared_at_bt"] = MatMul([2, 4, 3], [5, 4], true, true),
        ["concat"] = new([[2, 3], [2, 1], [2, 2]], Domain.Any, x => Ops.Concat(x, 1), x => Reference.Concat(x, 1)),
        ["narrow_rows"] = new([[4, 3]], Domain.Any, x => x[0].Slice(1, 2), x => x[0].Narrow(0, 1, 2)),
        ["narrow_axis"] = new([[2, 5, 2]], Domain.Any, x => x[0].Narrow(1, 1, 3), x => x[0].Narrow(1, 1, 3)),
        ["gather_rows"] = new([[3, 2]], Domain.Any, x => x[0].GatherRows(Rows), x => x[0].GatherRows(Rows)),
        ["where"] = new([[2, 3], [2, 3]], Domain.Any, x => Ops.Where(Tensor.FromArray(Mask.Select(v => (float)v).ToArray(), 2, 3), x[0], x[1]), x => Reference.Where(Mask, x[0], x[1])),
        ["log_softmax"] = new([[3, 5]], Domain.Any, x => x[0].LogSoftmax(), x => x[0].LogSoftmax()),
        ["softmax"] = new([[3, 5]], Domain.Any, x => x[0].Softmax(), x => x[0].LogSoftmax().Map(Math.Exp)),
        ["softmax_cross_entropy"] = new([[3, 4], [3, 4]], Domain.Positive, x => Ops.SoftmaxCrossEntropy(x[0], x[1]),
            x => Reference.Zip(x[1], x[0].LogSoftmax(), (t, l) => t * l).Sum().Map(v => -v / 3)),
        ["softmax_cross_entropy_sparse"] = new([[4, 3]], Domain.Any, x => Ops.SoftmaxCrossEntropy(x[0], Rows),
            x => new Reference([-Rows.Select((label, row) => x[0].LogSoftmax().Data[row * 3 + label]).Sum() / 4], [])),
        ["dropout"] = new([[4, 5]], Domain.Any, x => x[0].Dropout(0.5f, new RandomGenerator(3)), x => DropoutReference(x[0], 0.5, 3)),
        ["conv2d_same_bias"] = new([[2, 2, 5, 4], [3, 2, 3, 3], [3]], Domain.Any, x => x[0].Conv2D(x[1], x[2], 1, ConvPadding.Same),
            x => ConvReference.Conv2D(x[0], x[1], x[2], 1, ConvPadding.Same)),
        ["conv2d_valid_stride2"] = new([[2, 3, 7, 6], [2, 3, 3, 2]], Domain.Any, x => x[0].Conv2D(x[1], stride: 2),
            x => ConvReference.Conv2D(x[0], x[1], null, 2, ConvPadding.Valid)),
        ["conv2d_non_square_same"] = new([[2, 2, 6, 5], [3, 2, 2, 3], [3]], Domain.Any, x => x[0].Conv2D(x[1], x[2], (2, 1), ConvPadding.Same),
            x => ConvReference.Conv2D(x[0], x[1], x[2], (2, 1), ConvPadding.Same)),
        ["conv2d_fused_tanh_non_square"] = new([[1, 2, 5, 6], [2, 2, 3, 2], [2]], Domain.Any,
            x => x[0].Conv2D(x[1], x[2], (1, 2), ConvPadding.Valid, BiasActivationKind.Tanh, 0f),
            x => ConvReference.Conv2D(x[0], x[1], x[2], (1, 2), ConvPadding.Valid).Map(Math.Tanh)),
        ["max_pool2d_non_square"] = new([[1, 2, 5, 7]], Domain.Any, x => x[0].MaxPool2D((2, 3), (2, 1)),
            x => ConvReference.MaxPool2D(x[0], (2, 3), (2, 1), ConvPadding.Valid)),
        ["average_pool2d_non_square_same"] = new([[2, 1, 5, 4]], Domain.Any, x => x[0].AveragePool2D((3, 2), (1, 2), ConvPadding.Same),
            x => ConvReference.AveragePool2D(x[0], (3, 2), (1, 2), ConvPadding.Same)),
        ["batch_norm_image"] = new([[3, 2, 2, 3], [2], [2]], Domain.Any, x => x[0].BatchNorm(x[1], x[2], 0.01f),
            x => LayerReference.BatchNormTraining(x[0], 0.01, x[1], x[2])),
        ["batch_norm_dense_no_affine"] = new([[5, 3]], Domain.Any, x => x[0].BatchNorm(null, null, 1e-3f),
            x => LayerReference.BatchNormTraining(x[0], 1e-3, Ones(3), new Reference(new double[3], [3]))),
        ["zero_pad2d"] = new([[2, 3, 4, 5]], Domain.Any, x => x[0].ZeroPad2D((1, 2)), x => PadByConcatenation(x[0], 1, 2)),
        ["zero_pad2d_rows_only"] = new([[1, 2, 3, 1]], Domain.Any, x => x[0].ZeroPad2D((2, 0)), x => PadByConcatenation(x[0], 2, 0)),
        ["max_pool2d"] = new([[2, 3, 4, 5]], Domain.Any, x => x[0].MaxPool2D(), x => ConvReference.MaxPool2D(x[0], 2, 2, ConvPadding.Valid)),
        ["max_pool2d_same_overlapping"] = new([[1, 2, 5, 5]], Domain.Any, x => x[0].MaxPool2D(3, 1, ConvPadding.Same),
            x => ConvReference.MaxPool2D(x[0], 3, 1, ConvPadding.Same)),
        ["average_pool2d_same"] = new([[2, 2, 5, 3]], Domain.Any, x => x[0].AveragePool2D(2, padding: ConvPadding.Same),
            x => ConvReference.AveragePool2D(x[0], 2, 2, ConvPadding.Same)),
    };

    /// <summary>Zero padding as concatenations of zero blocks along the height, then the width.</summary>
    private static Reference PadByConcatenation(Reference x, int top, int left)
    {
        Reference Zeros(int[] dims, int axis, int count)
        {
            var d = (int[])dims.Clone();
            d[axis] = count;
            return new(new double[d.Aggregate(1, (p, v) => p * v)], d);
        }
        var rows = Reference.Concat([Zeros(x.Dims, 2, top), x, Zeros(x.Dims, 2, top)], 2);
        return Reference.Concat([Zeros(rows.Dims, 3, left), rows, Zeros(rows.Dims, 3, left)], 3);
    }

    private static Reference Ones(int n) => new(Enumerable.Repeat(1.0, n).ToArray(), [n]);

    private static Case MatMul(int[] a, int[] b, bool transposeA, bool transposeB)
        => new([a, b], Domain.Any, x => x[0].MatMul(x[1], transposeA, transposeB), x => Reference.MatMul(x[0], x[1], transposeA, transposeB));

    /// <summary>The same mask as Ops.Dropout: the generator's draws in order, dropped when below the rate.</summary>
    private static Reference DropoutReference(Reference x, double rate, ulong seed)
    {
        var random = new RandomGenerator(seed);
        return new(x.Data.Select(v => random.NextDouble() < rate ? 0 : v / (1 - rate)).ToArray(), x.Dims);
    }

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory, MemberData(nameof(Names))]
    public void ForwardMatchesDoubleReference(string name)
    {
        var c = Cases[name];
        var inputs = Inputs(c, seed: 1);
        var expected = c.Reference(inputs);
        var actual = c.Op(inputs.Select(ToTensor).ToArray());
        Assert.Equal(expected.Dims, actual.Shape.ToArray());
        for (int i = 0; i < expected.Size; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Span[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected.Data[i])),
                $"{name}[{i}]: reference {expected.Data[i]}, float {actual.Span[i]}");
    }

    [Theory, MemberData(nameof(Names))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var c = Cases[name];
        var inputs = Inputs(c, seed: 2);
        var tensors = inputs.Select(ToTensor).ToArray();
        foreach (var t in tensors) t.RequiresGrad = true;
        var output = c.Op(tensors);
        var weights = Random(output.Shape.ToArray(), Domain.Any, new RandomGenerator(3));
        output.Backward(ToTensor(weights));

        double Loss(Reference[] x) => c.Reference(x).Data.Zip(weights.Data, (y, w) => y * w).Sum();
        for (int t = 0; t < inputs.Length; t++)
        {
            var numeric = new double[inputs[t].Size];
            for (int i = 0; i < numeric.Length; i++)
            {
                double saved = inputs[t].Data[i], h = 1e-6 * Math.Max(1, Math.Abs(saved));
                inputs[t].Data[i] = saved + h;
                double up = Loss(inputs);
                inputs[t].Data[i] = saved - h;
                double down = Loss(inputs);
                inputs[t].Data[i] = saved;
                numeric[i] = (up - down) / (2 * h);
            }
            double scale = Math.Max(1, numeric.Max(Math.Abs));
            var grad = tensors[t].Grad ?? throw new Xunit.Sdk.XunitException($"{name}: input {t} received no gradient");
            for (int i = 0; i < numeric.Length; i++)
                Assert.True(Math.Abs(numeric[i] - grad.Span[i]) <= 1e-3 * scale,
                    $"{name}: d/dinput{t}[{i}] finite differences {numeric[i]}, tape {grad.Span[i]}");
        }
    }

    [Fact]
    public void EveryOpHasACase()
    {
        var ops = typeof(Ops).GetMethods().Where(m => m.IsStatic && m.ReturnType == typeof(Tensor)).Select(m => m.Name.ToLowerInvariant()).Distinct();
        foreach (var op in ops)
            Assert.True(Cases.Keys.Any(k => k.Replace("_", "").StartsWith(op, StringComparison.Ordinal)), $"op {op} has no gradient-check case");
    }

    /// <summary>Random inputs, rounded to float so the float op and the double reference see the same values.</summary>
    private static Reference[] Inputs(Case c, ulong seed)
    {
        var random = new RandomGenerator(seed);
        return c.Shapes.Select(s => Random(s, c.Domain, random)).ToArray();
    }

    private static Reference Random(int[] dims, Domain domain, RandomGenerator random)
    {
        var data = new double[dims.Aggregate(1, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(domain == Domain.Positive ? random.Uniform(0.5, 2) : random.Uniform(-2, 2));
        return new(data, dims);
    }

    private static Tensor ToTensor(Reference r) => Tensor.FromArray(r.Data.Select(v => (float)v).ToArray(), r.Dims);
}
