using Sparta.Tuning.Distributions;
using Sparta.Tuning.Output;

namespace Sparta.Tuning.Tests.Output;

public class TrialLineTests
{
    private static FrozenTrial Complete(double accuracy, double parameters) => new()
    {
        Number = 7,
        State = TrialState.Complete,
        Values = [accuracy, parameters],
        InternalParams = new Dictionary<string, double> { ["units"] = 96, ["lr"] = 0.011785 },
        Distributions = new Dictionary<string, Distribution>
        {
            ["units"] = new IntDistribution(16, 512),
            ["lr"] = new FloatDistribution(1e-4, 1e-1, log: true),
        },
    };

    [Fact]
    public void Integer_parameters_and_counts_print_as_whole_numbers_and_other_values_with_six_decimals()
    {
        var trial = Complete(1.0, 39760);
        Assert.Equal("units: 96  lr: 0.011785  val_accuracy: 1.000000  parameters: 39760  (8/12)",
            TrialLine.Format(trial, 8, 12, ["val_accuracy", "parameters"]));
        Assert.Equal(["pareto front: 1 trial no other trial beats on every objective",
                      "pareto trial=7 val_accuracy=1.000000 parameters=39760 params: units=96 lr=0.011785"],
            TrialLine.ParetoFront([trial], ["val_accuracy", "parameters"]));
    }

    [Theory]
    [InlineData("parameters", 12345678.0, "12345678")]
    [InlineData("parameters", 2.5, "2.500000")] // not a count after all: shown as it is, not rounded
    [InlineData("val_loss", 3.0, "3.000000")]
    [InlineData("train_s", 39760.0, "39760.000000")]
    public void Only_a_whole_count_drops_its_decimals(string name, double value, string expected) =>
        Assert.Equal(expected, TrialLine.FormatMeasure(name, value));
}
