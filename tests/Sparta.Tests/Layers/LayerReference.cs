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
    /// <summary>Each image inside a border of zeros, <paramref name="rows"/> above and below, <paramref name="columns"/> left and right.</summary>
    public static Reference ZeroPadding(Reference x, int rows, int columns)
    {
        int images = x.Dims[0] * x.Dims[1], height = x.Dims[2], width = x.Dims[3];
        int outHeight = height + 2 * rows, outWidth = width + 2 * columns;
        var data = new double[images * outHeight * outWidth];
        for (int n = 0; n < images; n++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    data[(n * outHeight + i + rows) * outWidth + j + columns] = x.Data[(n * height + i) * width + j];
        return new Reference(data, [x.Dims[0], x.Dims[1], outHeight, outWidth]);
    }

    /// <summary>
    /// Bilinear resizing pixel by pixel: output pixel (i, j) samples the input at its centre mapped back,
    /// ((i + ½)·H/H' − ½, (j + ½)·W/W' − ½) clamped to the image, from its four neighbours.
    /// </summary>
    public static Reference ResizeBilinear(Reference x, int outHeight, int outWidth)
    {
        int images = x.Dims[0] * x.Dims[1], height = x.Dims[2], width = x.Dims[3];
        var data = new double[images * outHeight * outWidth];
        static (int Low, int High, double Fraction) Source(int index, int input, int output)
        {
            double at = Math.Clamp((index + 0.5) * input / output - 0.5, 0, input - 1);
            int low = (int)Math.Floor(at);
            return (low, Math.Min(low + 1, input - 1), at - low);
        }
        for (int n = 0; n < images; n++)
            for (int i = 0; i < outHeight; i++)
                for (int j = 0; j < outWidth; j++)
                {
                    var (top, bottom, dy) = Source(i, height, outHeight);
                    var (left, right, dx) = Source(j, width, outWidth);
                    double Pixel(int r, int c) => x.Data[(n * height + r) * width + c];
                    data[(n * outHeight + i) * outWidth + j] =
                        (1 - dy) * ((1 - dx) * Pixel(top, left) + dx * Pixel(top, right)) + dy * ((1 - dx) * Pixel(bottom, left) + dx * Pixel(bottom, right));
                }
        return new Reference(data, [x.Dims[0], x.Dims[1], outHeight, outWidth]);
    }

    /// <summary>Nearest resizing: output pixel (i, j) copies the input pixel whose cell holds its centre.</summary>
    public static Reference ResizeNearest(Reference x, int outHeight, int outWidth)
    {
        int images = x.Dims[0] * x.Dims[1], height = x.Dims[2], width = x.Dims[3];
        var data = new double[images * outHeight * outWidth];
        for (int n = 0; n < images; n++)
            for (int i = 0; i < outHeight; i++)
                for (int j = 0; j < outWidth; j++)
                {
                    int r = Math.Min((int)((i + 0.5) * height / outHeight), height - 1), c = Math.Min((int)((j + 0.5) * width / outWidth), width - 1);
                    data[(n * outHeight + i) * outWidth + j] = x.Data[(n * height + r) * width + c];
                }
        return new Reference(data, [x.Dims[0], x.Dims[1], outHeight, outWidth]);
    }
}
