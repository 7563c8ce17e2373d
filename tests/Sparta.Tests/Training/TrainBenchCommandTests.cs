using Sparta.Cli;

namespace Sparta.Tests.Training;

public class TrainBenchCommandTests
{
    [Theory]
    [InlineData(new[] { "bench", "train", "rnn" }, "sparta bench train: MODEL: expected mlp or cnn, got 'rnn'")]
    [InlineData(new[] { "bench", "train" }, "sparta bench train: expected MODEL (the model to train: mlp or cnn); see 'sparta bench train --help'")]
    public void Bench_train_names_a_bad_model(string[] args, string expected)
    {
        var error = new StringWriter();
        int exit = CommandLine.Run(args, TextWriter.Null, error);
        Assert.Equal(2, exit);
        Assert.Equal(expected, error.ToString().Trim());
    }

    [Fact]
    public void Bench_train_rejects_an_unknown_option()
    {
        var error = new StringWriter();
        int exit = CommandLine.Run(["bench", "train", "mlp", "--epoch", "1"], TextWriter.Null, error);
        Assert.Equal(2, exit);
        Assert.Contains("--epoch", error.ToString());
    }
}
