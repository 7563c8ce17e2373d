using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Reports;

public class HistoryJsonTests
{
    [Fact]
    public void AHistoryRoundTripsThroughJsonWithNaNAndKeyOrder()
    {
        var history = new History();
        history.Add(1, new Dictionary<string, double> { ["loss"] = 2.302585092994046, ["accuracy"] = 0.1 });
        history.Add(2, new Dictionary<string, double> { ["loss"] = double.NaN, ["accuracy"] = 1.0 / 3, ["val_loss"] = 1e-300 });
        var back = HistoryLogger.FromJson(HistoryLogger.ToJson(history));
        Assert.Equal(history.Epochs, back.Epochs);
        Assert.Equal(history.Keys, back.Keys);
        foreach (string key in history.Keys) Assert.Equal(history[key], back[key]);
    }

    [Fact]
    public void AListOfTheWrongLengthIsNamed() =>
        Assert.Contains("'loss' has 1 values for 2 epochs",
            Assert.Throws<System.Text.Json.JsonException>(() => HistoryLogger.FromJson("""{"epochs": [1, 2], "loss": [0.5]}""")).Message);
}
