using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Sparta.Data;
using Sparta.Data.Preprocessing;

// dotnet EigenDecomposition.dll sparta|mathnet REPEATS [IMAGES]
// Decomposes the 784×784 covariance of the first IMAGES Fashion-MNIST training images REPEATS times
// with one implementation, prints the seconds per decomposition and the largest residual
// |C v - λ v| over the eigenpairs (so both are seen to compute the same thing).
if (args.Length is < 2 or > 3 || args[0] is not ("sparta" or "mathnet"))
{
    Console.Error.WriteLine("usage: EigenDecomposition sparta|mathnet REPEATS [IMAGES]");
    return 2;
}
int repeats = int.Parse(args[1], CultureInfo.InvariantCulture);
int images = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000;
var pixels = DatasetRegistry.Load("fashion-mnist", "train").Input("image").ToArray();
const int n = 784;
var covariance = Covariance(pixels, images, n);

double[] values = [];
double[] vectors = []; // row-major, eigenvector j in column j
var clock = Stopwatch.StartNew();
for (int r = 0; r < repeats; r++)
{
    if (args[0] == "sparta")
    {
        var eigen = SymmetricEigen.Decompose(covariance, n);
        (values, vectors) = (eigen.Values, eigen.Vectors);
    }
    else
    {
        var evd = Matrix<double>.Build.DenseOfRowMajor(n, n, covariance).Evd(Symmetricity.Symmetric);
        values = evd.EigenValues.Select(v => v.Real).ToArray();
        vectors = evd.EigenVectors.ToRowMajorArray();
    }
}
double seconds = clock.Elapsed.TotalSeconds / repeats;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{args[0]}: {seconds:F3} s per {n}x{n} decomposition, largest residual {Residual(covariance, values, vectors, n):E2}, largest eigenvalue {values.Max():F1}"));
return 0;

static double[] Covariance(float[] pixels, int count, int n)
{
    var mean = new double[n];
    for (int s = 0; s < count; s++)
        for (int i = 0; i < n; i++) mean[i] += pixels[s * n + i] / (double)count;
    var c = new double[n * n];
    var row = new double[n];
    for (int s = 0; s < count; s++)
    {
        for (int i = 0; i < n; i++) row[i] = pixels[s * n + i] - mean[i];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) c[i * n + j] += row[i] * row[j] / (count - 1);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
    return c;
}

static double Residual(double[] c, double[] values, double[] vectors, int n)
{
    double worst = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
        {
            double cv = 0;
            for (int k = 0; k < n; k++) cv += c[i * n + k] * vectors[k * n + j];
            worst = Math.Max(worst, Math.Abs(cv - values[j] * vectors[i * n + j]));
        }
    return worst;
}
