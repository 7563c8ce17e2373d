using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Principal component analysis fitted on training samples (flattened to features): the
/// eigenvectors of the feature covariance with the largest eigenvalues. Keeps a fixed number of
/// components, or the fewest that explain a fraction of the variance. With whitening, each
/// component is divided by sqrt(eigenvalue + epsilon) so the output has identity covariance.
/// Output shape (N, components).
/// </summary>
public sealed class Pca : Preprocessor
{
    public const double DefaultEpsilon = 1e-6;
    private double[] _mean = [];
    private double[] _components = [];
    private double[] _explainedVariance = [];

    /// <param name="components">Components to keep (0: decide by <paramref name="varianceFraction"/>).</param>
    /// <param name="varianceFraction">Keep the fewest components whose variance reaches this fraction (used when components is 0).</param>
    public Pca(int components = 0, double varianceFraction = 1, bool whiten = false, double epsilon = DefaultEpsilon)
    {
        if (components < 0) throw new ArgumentException($"pca: components must be non-negative, got {components}");
        if (!(varianceFraction > 0 && varianceFraction <= 1)) throw new ArgumentException($"pca: variance must be in (0, 1], got {varianceFraction}");
        if (!(epsilon >= 0)) throw new ArgumentException($"pca: epsilon must be non-negative, got {epsilon}");
        RequestedComponents = components;
        VarianceFraction = varianceFraction;
        Whiten = whiten;
        Epsilon = epsilon;
    }

    internal static Pca FromParameters(StepParameters p)
    {
        double components = p.Number("components", 0);
        if (components != Math.Floor(components)) throw new ArgumentException($"preprocessing 'pca': parameter 'components' must be a whole number, got {components}");
        return new Pca((int)components, p.Number("variance", 1), p.Flag("whiten", false), p.Number("epsilon", DefaultEpsilon));
    }

    public int RequestedComponents { get; }
    public double VarianceFraction { get; }
    public bool Whiten { get; }
    public double Epsilon { get; }

    public override string Name => "pca";

    /// <summary>Components kept after fitting.</summary>
    public int ComponentCount => _explainedVariance.Length;

    /// <summary>The kept components, row-major (components, features): row i is the i-th eigenvector.</summary>
    public ReadOnlySpan<double> Components => _components;

    /// <summary>Eigenvalue (variance along) each kept component, descending.</summary>
    public ReadOnlySpan<double> ExplainedVariance => _explainedVariance;

    public ReadOnlySpan<double> Mean => _mean;

    protected override void FitCore(Tensor train)
    {
        var flat = train.Reshape(train.Shape[0], -1);
        int d = flat.Shape[1];
        _mean = GroupStatistics.Compute(flat, GroupLayout.Of(flat.Shape, StatisticsScope.Feature), withStd: false).Mean;
        var eigen = SymmetricEigen.Decompose(CenteredProjection.Covariance(flat, _mean), d);
        int k = RequestedComponents > 0 ? Math.Min(RequestedComponents, d) : CountForVariance(eigen.Values, VarianceFraction);
        _explainedVariance = eigen.Values[..k].Select(v => Math.Max(v, 0)).ToArray();
        _components = new double[k * d];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < d; j++) _components[i * d + j] = eigen.Vectors[j * d + i];
    }

    protected override Tensor TransformCore(Tensor data) =>
        CenteredProjection.Project(data.Reshape(data.Shape[0], -1), _mean, Projection(), ComponentCount);

    /// <summary>P (features × components, row-major) with x ↦ (x − mean)·P: the components, scaled when whitening.</summary>
    internal float[] Projection()
    {
        int d = _mean.Length, k = ComponentCount;
        var projection = new float[d * k];
        for (int i = 0; i < k; i++)
        {
            double scale = Whiten ? 1 / Math.Sqrt(_explainedVariance[i] + Epsilon) : 1;
            for (int j = 0; j < d; j++) projection[j * k + i] = (float)(_components[i * d + j] * scale);
        }
        return projection;
    }

    /// <summary>Maps (N, components) back to feature space (N, features): the reconstruction from the kept components.</summary>
    public Tensor InverseTransform(Tensor projected)
    {
        int d = _mean.Length, k = ComponentCount;
        if (projected.Rank != 2 || projected.Shape[1] != k)
            throw new ArgumentException($"pca: inverse transform expects shape (N, {k}), got {projected.Shape}", nameof(projected));
        int n = projected.Shape[0];
        var result = Tensor.Uninitialized(new Shape(n, d));
        var y = projected.Span;
        var x = result.Span;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++)
            {
                double sum = _mean[j];
                for (int i = 0; i < k; i++)
                    sum += y[r * k + i] * (Whiten ? Math.Sqrt(_explainedVariance[i] + Epsilon) : 1) * _components[i * d + j];
                x[r * d + j] = (float)sum;
            }
        return result;
    }

    private static int CountForVariance(double[] values, double fraction)
    {
        double total = values.Sum(v => Math.Max(v, 0));
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Max(values[i], 0);
            // A hair of tolerance so fraction 1 is reached despite rounding in the eigenvalues.
            if (sum >= fraction * total * (1 - 1e-12)) return i + 1;
        }
        return values.Length;
    }

    protected override IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string>
    {
        ["components"] = RequestedComponents.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["variance"] = StepParameters.Format(VarianceFraction),
        ["whiten"] = Whiten ? "true" : "false",
        ["epsilon"] = StepParameters.Format(Epsilon),
    };

    protected override IReadOnlyDictionary<string, double[]> SavedArrays() => new Dictionary<string, double[]>
    {
        ["mean"] = _mean,
        ["components"] = _components,
        ["explained_variance"] = _explainedVariance,
    };

    protected override void Restore(IReadOnlyDictionary<string, double[]> arrays, IReadOnlyDictionary<string, string[]>? texts)
    {
        _mean = Required(arrays, "mean");
        _explainedVariance = Required(arrays, "explained_variance");
        _components = Required(arrays, "components", _mean.Length * _explainedVariance.Length);
    }
}
