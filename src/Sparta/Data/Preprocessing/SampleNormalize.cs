using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Each sample on its own: (x - mean(x)) / (std(x) + epsilon), as Keras' samplewise center and
/// std normalization; for images whose intensity range varies from one acquisition to the next.
/// Nothing is learned from the training data.
/// </summary>
public sealed class SampleNormalize : Preprocessor
{
    public const double DefaultEpsilon = 1e-6;
    private const int RowsPerChunk = 256;

    public SampleNormalize(double epsilon = DefaultEpsilon)
    {
        if (!(epsilon >= 0)) throw new ArgumentException($"sample_normalize: epsilon must be non-negative, got {epsilon}");
        Epsilon = epsilon;
    }

    public double Epsilon { get; }

    public override string Name => "sample_normalize";

    protected override void FitCore(Tensor train) { }

    public override bool SupportsInPlace => true;

    protected override Tensor TransformCore(Tensor data)
    {
        var result = Tensor.Uninitialized(data.Shape);
        Apply(data, result);
        return result;
    }

    protected override void TransformInPlaceCore(Tensor data) => Apply(data, data);

    private void Apply(Tensor data, Tensor result)
    {
        int n = data.Shape[0], d = data.Shape.SizeFrom(1);
        GroupStatistics.ForEachChunk((n + RowsPerChunk - 1) / RowsPerChunk, chunk =>
        {
            for (int r = chunk * RowsPerChunk; r < Math.Min(n, (chunk + 1) * RowsPerChunk); r++)
            {
                var row = data.Span.Slice(r * d, d);
                double mean = WideSum.Sum(row) / d;
                double std = Math.Sqrt(WideSum.SquaredDeviations(row, mean) / d);
                float scale = (float)(1 / (std + Epsilon));
                ScaleShift.Apply(row, scale, (float)(-mean * scale), result.Span.Slice(r * d, d));
            }
        });
    }

    protected override IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string> { ["epsilon"] = StepParameters.Format(Epsilon) };

    protected override IReadOnlyDictionary<string, double[]> SavedArrays() => new Dictionary<string, double[]>();

    protected override void Restore(IReadOnlyDictionary<string, double[]> arrays, IReadOnlyDictionary<string, string[]>? texts) { }
}
