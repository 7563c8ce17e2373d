using System.Text.Json;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.TestFunctions;

/// <summary>
/// A tuning task replaced by a model of its recorded trials, so that samplers can be compared on
/// hundreds of seeds without training anything: a trial's score is mean(u) + sd(u) z, z standard
/// normal, clipped to [0, 1], where u is the trial's parameters in [0, 1]^d (log ranges in log
/// space). mean is a Gaussian process's posterior mean (squared-exponential kernel, one length
/// scale per parameter); sd, the noise of the task's own training seed, a kernel-weighted mean of
/// the recorded trials' squared leave-one-out residuals. bench/fmnist_surrogate.py builds the file
/// from study databases and evaluates it the same way for Optuna's side; the objective minimized
/// is 1 - score (the task maximizes an accuracy).
/// </summary>
public sealed class SurrogateObjective
{
    private readonly double[][] _points;
    private readonly double[] _alpha, _squaredResiduals, _lengthScales, _noiseScales;
    private readonly double _offset, _signalVariance, _noiseFactor;
    private readonly (string Name, Distribution Distribution, double Low, double High, bool Log)[] _parameters;

    public string Name { get; }

    /// <summary>The task's search space, as its trials suggested it.</summary>
    public IReadOnlyDictionary<string, Distribution> Space => _parameters.ToDictionary(p => p.Name, p => p.Distribution);

    private SurrogateObjective(string name, JsonElement model)
    {
        Name = name;
        _parameters = model.GetProperty("parameters").EnumerateArray().Select(p =>
        {
            double low = p.GetProperty("low").GetDouble(), high = p.GetProperty("high").GetDouble();
            bool log = p.GetProperty("log").GetBoolean();
            var step = p.GetProperty("step");
            Distribution distribution = step.ValueKind == JsonValueKind.Null
                ? new FloatDistribution(low, high, log)
                : new IntDistribution((long)low, (long)high, log, step.GetInt64());
            return (p.GetProperty("name").GetString()!, distribution, low, high, log);
        }).ToArray();
        _points = model.GetProperty("points").EnumerateArray().Select(Doubles).ToArray();
        _alpha = Doubles(model.GetProperty("alpha"));
        _squaredResiduals = Doubles(model.GetProperty("squared_residuals"));
        _lengthScales = Doubles(model.GetProperty("length_scales"));
        double noiseScale = model.GetProperty("noise_scale").GetDouble();
        _noiseScales = _lengthScales.Select(s => s * noiseScale).ToArray();
        _offset = model.GetProperty("offset").GetDouble();
        _signalVariance = model.GetProperty("signal_variance").GetDouble();
        _noiseFactor = model.GetProperty("noise_factor").GetDouble();
        if (_points.Any(p => p.Length != _parameters.Length) || _alpha.Length != _points.Length || _squaredResiduals.Length != _points.Length
            || _lengthScales.Length != _parameters.Length)
            throw new FormatException("points, alpha, squared_residuals and length_scales disagree in size");
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>Reads a surrogate written by bench/fmnist_surrogate.py; a missing or malformed file is an ArgumentException naming it.</summary>
    public static SurrogateObjective Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return new SurrogateObjective($"surrogate:{Path.GetFileName(path)}", document.RootElement);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ArgumentException($"objective: cannot read the surrogate '{path}': {e.Message}");
        }
    }

    /// <summary>The model's mean score and the training seed's standard deviation at <paramref name="unit"/> (in [0, 1]^d).</summary>
    public (double Mean, double Sd) MeanSd(ReadOnlySpan<double> unit)
    {
        double mean = _offset, weights = 0, squared = 0;
        for (int i = 0; i < _points.Length; i++)
        {
            double meanExponent = 0, noiseExponent = 0;
            for (int d = 0; d < unit.Length; d++)
            {
                double delta = unit[d] - _points[i][d];
                meanExponent += delta * delta / (_lengthScales[d] * _lengthScales[d]);
                noiseExponent += delta * delta / (_noiseScales[d] * _noiseScales[d]);
            }
            mean += _signalVariance * Math.Exp(-0.5 * meanExponent) * _alpha[i];
            double w = Math.Exp(-0.5 * noiseExponent);
            weights += w;
            squared += w * _squaredResiduals[i];
        }
        return (mean, _noiseFactor * Math.Sqrt(squared / weights));
    }

    /// <summary>Parameter values (as the trial suggested them) in [0, 1]^d.</summary>
    public double[] ToUnit(IReadOnlyList<double> values) => _parameters.Select((p, d) => p.Log
        ? (Math.Log(values[d]) - Math.Log(p.Low)) / (Math.Log(p.High) - Math.Log(p.Low))
        : (values[d] - p.Low) / (p.High - p.Low)).ToArray();

    /// <summary>Suggests the task's parameters in the file's order (the sampler's work).</summary>
    public double[] Suggest(Trial trial) => _parameters.Select(p => Convert.ToDouble(trial.Suggest(p.Name, p.Distribution))).ToArray();

    /// <summary>1 - score at these parameter values, the noise drawn from <paramref name="noise"/>.</summary>
    public double Evaluate(IReadOnlyList<double> values, RandomGenerator noise)
    {
        var (mean, sd) = MeanSd(ToUnit(values));
        return 1 - Math.Clamp(mean + sd * noise.Normal(), 0, 1);
    }
}
