using Sparta.Tests.Autograd;

namespace Sparta.Tests.Layers;

/// <summary>Forward passes of the layers in double, written from their definitions with the plain loops of <see cref="Reference"/>.</summary>
internal static class LayerReference
{
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>f(x·W + b) over the last axis.</summary>
    public static Reference Dense(Reference x, Reference kernel, Reference? bias, Func<double, double> f)
    {
        int features = kernel.Dims[0];
        var rows = x.Reshape(x.Size / features, features);
        var z = Reference.MatMul(rows, kernel, false, false);
        if (bias is not null) z = Reference.Zip(z, bias, (a, b) => a + b);
        return z.Map(f).Reshape([.. x.Dims[..^1], kernel.Dims[1]]);
    }

    /// <summary>Softmax over the last axis, from the definition.</summary>
    public static Reference Softmax(Reference x) => x.LogSoftmax().Map(Math.Exp);

    /// <summary>max(0, x) + a_c·min(0, x) with one slope per channel (axis 1).</summary>
    public static Reference PRelu(Reference x, Reference alpha)
    {
        var dims = new int[x.Dims.Length];
        Array.Fill(dims, 1);
        dims[1] = alpha.Size;
        return Reference.Zip(x, alpha.Reshape(dims), (v, a) => v > 0 ? v : a * v);
    }

    /// <summary>The largest of each k consecutive channels.</summary>
    public static Reference Maxout(Reference x, int k)
    {
        int batch = x.Dims[0], channels = x.Dims[1] / k, rest = x.Size / (batch * x.Dims[1]);
        var dims = (int[])x.Dims.Clone();
        dims[1] = channels;
        return x.Reshape(batch, channels, k, rest).Max(2, false).Reshape(dims);
    }

    /// <summary>Per channel (axis 1) normalization by the given mean and variance, then γ·x̂ + β.</summary>
    public static Reference Normalize(Reference x, double[] mean, double[] variance, double epsilon, Reference gamma, Reference beta)
    {
        int batch = x.Dims[0], channels = x.Dims[1], plane = x.Size / (batch * channels);
        var data = new double[x.Size];
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        for (int p = 0; p < plane; p++)
        {
            int i = (n * channels + c) * plane + p;
            data[i] = gamma.Data[c] * (x.Data[i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) + beta.Data[c];
        }
        return new(data, x.Dims);
    }

    /// <summary>Batch normalization in training: the batch's per-channel mean and biased variance.</summary>
    public static Reference BatchNormTraining(Reference x, double epsilon, Reference gamma, Reference beta)
    {
        int batch = x.Dims[0], channels = x.Dims[1], plane = x.Size / (batch * channels);
        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            var values = Enumerable.Range(0, batch).SelectMany(n => Enumerable.Range(0, plane).Select(p => x.Data[(n * channels + c) * plane + p])).ToArray();
            mean[c] = values.Average();
            variance[c] = values.Select(v => (v - mean[c]) * (v - mean[c])).Average();
        }
        return Normalize(x, mean, variance, epsilon, gamma, beta);
    }

    /// <summary>Mean over each H×W plane.</summary>
    public static Reference GlobalAveragePooling(Reference x)
    {
        int batch = x.Dims[0], channels = x.Dims[1];
        return x.Reshape(batch, channels, x.Size / (batch * channels)).Sum(2, false).Map(v => v / (x.Size / (batch * channels)));
    }
}
