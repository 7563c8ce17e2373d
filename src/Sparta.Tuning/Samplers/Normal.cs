namespace Sparta.Tuning.Samplers;

/// <summary>
/// The standard normal distribution to double precision, for truncated Gaussians (TPE) and
/// expected improvement (GP). .NET has no erf; Hart's rational approximation (as given by
/// West, 2005) is accurate to about 1e-14 and keeps relative precision far into the tails.
/// </summary>
internal static class Normal
{
    private const double Sqrt2Pi = 2.5066282746310002;
    public const double LogSqrt2Pi = 0.91893853320467274;

    public static double Pdf(double x) => Math.Exp(-0.5 * x * x) / Sqrt2Pi;

    public static double LogPdf(double x) => -0.5 * x * x - LogSqrt2Pi;

    /// <summary>P(Z &lt;= x).</summary>
    public static double Cdf(double x)
    {
        double a = Math.Abs(x);
        double tail;
        if (a > 37) tail = 0;
        else
        {
            double e = Math.Exp(-a * a / 2);
            if (a < 7.07106781186547)
            {
                double num = 3.52624965998911E-02 * a + 0.700383064443688;
                num = num * a + 6.37396220353165;
                num = num * a + 33.912866078383;
                num = num * a + 112.079291497871;
                num = num * a + 221.213596169931;
                num = num * a + 220.206867912376;
                double den = 8.83883476483184E-02 * a + 1.75566716318264;
                den = den * a + 16.064177579207;
                den = den * a + 86.7807322029461;
                den = den * a + 296.564248779674;
                den = den * a + 637.333633378831;
                den = den * a + 793.826512519948;
                den = den * a + 440.413735824752;
                tail = e * num / den;
            }
            else
            {
                double f = a + 0.65;
                f = a + 4 / f;
                f = a + 3 / f;
                f = a + 2 / f;
                f = a + 1 / f;
                tail = e / f / Sqrt2Pi;
            }
        }
        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>P(a &lt;= Z &lt;= b), computed in the tail nearer to zero so it keeps its relative precision.</summary>
    public static double Mass(double a, double b) => a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a);

    /// <summary>The quantile function: Acklam's approximation refined by one Halley step to full precision.</summary>
    public static double InverseCdf(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }
        else if (p <= 1 - low)
        {
            double q = p - 0.5, r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }
        double error = Cdf(x) - p;
        double u = error * Sqrt2Pi * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /// <summary>
    /// A draw of Z conditioned on a &lt;= Z &lt;= b, by inverting the CDF of the interval; intervals
    /// in the upper tail are mirrored into the lower one, where the CDF is precise.
    /// </summary>
    public static double SampleTruncated(double a, double b, double uniform)
    {
        if (a > 0) return -SampleTruncated(-b, -a, 1 - uniform);
        double lo = Cdf(a), hi = Cdf(b);
        double x = InverseCdf(lo + uniform * (hi - lo));
        return Math.Clamp(x, a, b);
    }

    /// <summary>log of the density of N(mu, sigma) truncated to [low, high], at x.</summary>
    public static double TruncatedLogPdf(double x, double mu, double sigma, double low, double high)
    {
        double z = (x - mu) / sigma;
        return LogPdf(z) - Math.Log(sigma) - Math.Log(Mass((low - mu) / sigma, (high - mu) / sigma));
    }
}
