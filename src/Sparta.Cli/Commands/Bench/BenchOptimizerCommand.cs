using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Configuration;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench optimizer --name adam</c>: the time of one optimizer step over the parameters of
/// the Fashion-MNIST MLP (784-256-128-10, 235,146 values), median of repeats after warm-up. It
/// counts processor time, not wall time, so a machine shared with other work still gives a fair
/// figure. The peer is bench/peer_optimizer.py (torch.optim on the same shapes, one thread).
/// </summary>
public sealed class BenchOptimizerCommand : SpartaCommand
{
    private static readonly int[][] MlpShapes = [[784, 256], [256], [256, 128], [128], [128, 10], [10]];

    private readonly Option<string> _name = OptionFactory.Text("--name", "a registered optimizer (sgd, adam, adamw, rmsprop, ...)", "adam", "NAME");
    private readonly Option<int> _steps = OptionFactory.Int("--steps", "steps per timed repeat", 2000, 1, 10_000_000);
    private readonly Option<int> _repeats = OptionFactory.Int("--repeats", "timed repeats; the median is printed", 7, 1, 1000);

    public BenchOptimizerCommand() : base("optimizer", "Time one optimizer step over the parameters of the Fashion-MNIST MLP (processor time).",
        "sparta bench optimizer --name adam --steps 2000")
    {
        Add(_name);
        Add(_steps);
        Add(_repeats);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string name = parse.GetValue(_name)!;
        int steps = parse.GetValue(_steps), repeats = parse.GetValue(_repeats);
        if (OptimizerRegistry.Create(new ComponentConfig(name)) is not Optimizer optimizer)
            throw new UsageException($"option --name: '{name}' is not a per-step optimizer (lbfgs minimizes a closure)");

        var random = new RandomGenerator(0);
        var parameters = MlpShapes.Select((shape, i) =>
        {
            var p = new Parameter($"p{i}", Tensor.Zeros(shape));
            random.FillNormal(p.Value.Span, 0, 0.05);
            random.FillNormal(p.Gradient.Span, 0, 0.01);
            return p;
        }).ToArray();
        int size = parameters.Sum(p => p.Value.Size);

        for (int i = 0; i < Math.Min(steps, 200); i++) optimizer.Step(parameters);
        var times = new double[repeats];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            process.Refresh();
            TimeSpan start = process.TotalProcessorTime;
            for (int i = 0; i < steps; i++) optimizer.Step(parameters);
            process.Refresh();
            times[r] = (process.TotalProcessorTime - start).TotalSeconds / steps;
        }
        Array.Sort(times);
        double median = times[repeats / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"optimizer name={name} params={size} cpu_us_per_step={median * 1e6:F1} gvalues_per_s={size / median / 1e9:F2}"));
        return 0;
    }
}
