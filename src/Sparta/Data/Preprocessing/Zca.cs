using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// ZCA whitening (Keras' zca_whitening): x ← (x - mean)·W with W = V·diag(1/sqrt(λ + ε))·Vᵀ from
/// the training covariance's eigen-decomposition. Like PCA whitening the output has identity
/// covariance, but it stays in pixel space (the symmetric W rotates back), so images keep their
/// shape and look like edge maps.
/// </summary>
public sealed class Zca : Preprocessor
{
    public const double DefaultEpsilon = 1e-6;
    private double[] _mean = [];
    private double[] _whitening = [];

    public Zca(double epsilon = DefaultEpsilon)
    {
        if (!(epsilon >= 0)) throw new ArgumentException($"zca: epsilon must be non-negative, got {epsilon}");
        Epsilon = epsilon;
    }

    public double Epsilon { get; }

    public override string Name => "zca";

    /// <summary>The symmetric whitening matrix W (features × features).</summary>
    public ReadOnlySpan<double> Whitening => _whitening;

    /// <summary>The training mean of each feature.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    protected override void FitCore(Tensor train)
    {
        var flat = train.Reshape(train.Shape[0], -1);
        int d = flat.Shape[1];
        _mean = GroupStatistics.Compute(flat, GroupLayout.Of(flat.Shape, StatisticsScope.Feature), withStd: false).Mean;
        var eigen = SymmetricEigen.Decompose(CenteredProjection.Covariance(flat, _mean), d);
        var inverseRoot = eigen.Values.Select(v => 1 / Math.Sqrt(Math.Max(v, 0) + Epsilon)).ToArray();
        _whitening = new double[d * d];
        var v = eigen.Vectors;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double sum = 0;
                for (int c = 0; c < d; c++) sum += v[i * d + c] * inverseRoot[c] * v[j * d + c];
                _whitening[i * d + j] = _whitening[j * d + i] = sum;
            }
    }

    protected override Tensor TransformCore(Tensor data)
    {
        return CenteredProjection.Project(data.Reshape(data.Shape[0], -1), _mean, Projection(), _mean.Length).Reshape(data.Shape.ToArray());
    }

    /// <summary>W in float: x ↦ (x − mean)·W.</summary>
    internal float[] Projection() => _whitening.Select(x => (float)x).ToArray();

    protected override IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string> { ["epsilon"] = StepParameters.Format(Epsilon) };

    protected override IReadOnlyDictionary<string, double[]> SavedArrays() => new Dictionary<string, double[]> { ["mean"] = _mean, ["whitening"] = _whitening };

    protected override void Restore(IReadOnlyDictionary<string, double[]> arrays, IReadOnlyDictionary<string, string[]>? texts)
    {
        _mean = Required(arrays, "mean");
        _whitening = Required(arrays, "whitening", _mean.Length * _mean.Length);
    }
}
