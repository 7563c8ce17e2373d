using Sparta.Training;

namespace Sparta.Tests.Training;

public class EpochPrinterTests
{
    private static readonly Dictionary<string, double> Logs = new() { ["loss"] = 0.5, ["accuracy"] = 0.75, ["learning_rate"] = 0.001, ["epoch_seconds"] = 1.25 };

    [Fact]
    public void Without_a_terminal_each_epoch_is_one_plain_line()
    {
        var output = new StringWriter();
        var printer = new EpochPrinter(output, interactive: false);
        printer.EpochBegin(3);
        for (int batch = 1; batch <= 3; batch++) printer.BatchEnd(batch, 0.5);
        printer.EpochEnd(1, Logs, stopReason: null);
        Assert.Equal("epoch 001 loss: 0.500 accuracy:0.750 lr:0.001 time:1.2s" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void A_writer_other_than_the_console_never_gets_a_bar()
    {
        var output = new StringWriter();
        var printer = new EpochPrinter(output);
        printer.EpochBegin(2);
        Thread.Sleep(250); // past the bar's refresh interval: a bar would be drawn now if any
        printer.BatchEnd(1, 0.25);
        printer.EpochEnd(2, Logs, "diverged");
        Assert.Equal(EpochPrinter.Format(2, Logs) + Environment.NewLine + "stopped: diverged" + Environment.NewLine, output.ToString());
    }

    [Theory]
    [InlineData(0, 10, 1.0, "     0/10 [..............................] loss: 1.0000")]
    [InlineData(5, 10, 0.12345, "     5/10 [===============...............] loss: 0.1235")]
    [InlineData(469, 469, 0.3, "   469/469 [==============================] loss: 0.3000")]
    public void Bar_line_shows_batches_done_and_the_running_loss(int done, int batches, double loss, string expected) =>
        Assert.Equal(expected, EpochPrinter.BarLine(done, batches, loss));
}
