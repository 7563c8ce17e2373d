using System.Numerics.Tensors;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// A step that maps every value to x·scale[g] + bias[g] for its group g (feature, channel or all):
/// centering, standardization and min-max scaling differ only in how they fit scale and bias.
/// </summary>
public abstract class GroupAffine : Preprocessor
{
    private const int RowsPerChunk = 256;
    private float[] _scale = [];
    private float[] _bias = [];

    protected GroupAffine(StatisticsScope scope) => Scope = scope;

    public StatisticsScope Scope { get; }

    protected void SetAffine(double[] scale, double[] bias)
    {
        _scale = scale.Select(v => (float)v).ToArray();
        _bias = bias.Select(v => (float)v).ToArray();
    }

    /// <summary>The fitted scale and bias, one per group.</summary>
    internal (float[] Scale, float[] Bias) Affine => (_scale, _bias);

    public override bool SupportsInPlace => true;

    protected override Tensor TransformCore(Tensor data)
    {
        var result = Tensor.Uninitialized(data.Shape);
        Apply(data, result);
        return result;
    }

    protected override void TransformInPlaceCore(Tensor data) => Apply(data, data);

    /// <summary>result = data·scale + bias; <paramref name="result"/> may be <paramref name="data"/>.</summary>
    private void Apply(Tensor data, Tensor result)
    {
        var layout = GroupLayout.Of(data.Shape, Scope);
        int n = data.Shape[0], d = layout.SampleSize;
        GroupStatistics.ForEachChunk((n + RowsPerChunk - 1) / RowsPerChunk, chunk =>
        {
            var input = data.Span;
            var output = result.Span;
            for (int r = chunk * RowsPerChunk; r < Math.Min(n, (chunk + 1) * RowsPerChunk); r++)
            {
                var row = input.Slice(r * d, d);
                var to = output.Slice(r * d, d);
                if (Scope == StatisticsScope.Feature) { TensorPrimitives.MultiplyAdd(row, _scale, _bias, to); continue; }
                for (int g = 0; g < layout.Groups; g++)
                {
                    int at = g * layout.RunLength;
                    ScaleShift.Apply(row.Slice(at, layout.RunLength), _scale[g], _bias[g], to.Slice(at, layout.RunLength));
                }
            }
        });
    }

    protected override IReadOnlyDictionary<string, double[]> SavedArrays() => new Dictionary<string, double[]>
    {
        ["scale"] = _scale.Select(v => (double)v).ToArray(),
        ["bias"] = _bias.Select(v => (double)v).ToArray(),
    };

    protected override void Restore(IReadOnlyDictionary<string, double[]> arrays, IReadOnlyDictionary<string, string[]>? texts)
    {
        var scale = Required(arrays, "scale");
        SetAffine(scale, Required(arrays, "bias", scale.Length));
    }

    private protected GroupStatistics Statistics(Tensor train, bool withStd, bool withRange) =>
        GroupStatistics.Compute(train, GroupLayout.Of(train.Shape, Scope), withStd, withRange);
}
