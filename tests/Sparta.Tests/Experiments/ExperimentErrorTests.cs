using Sparta.Experiments;

namespace Sparta.Tests.Experiments;

public class ExperimentErrorTests
{
    private static string Error(string text)
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(text, "exp.yaml").Spec());
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, ExperimentText.Small);
        return ExperimentText.Small.Replace(from, to);
    }

    [Theory]
    [InlineData("optimizer: {name: adam, learning_rate: 0.01}", "optimizer: {nmae: adam}", "exp.yaml: optimizer.nmae: unknown key; did you mean 'name'?")]
    [InlineData("optimizer: {name: adam, learning_rate: 0.01}", "optimizer: {name: adm}", "exp.yaml: optimizer.name: unknown optimizer 'adm'; did you mean 'adam'")]
    [InlineData("epochs: 2", "epoch: 2", "exp.yaml: epoch: unknown key; did you mean 'epochs'?")]
    [InlineData("batch_size: 16", "batch_size: -4", "exp.yaml: batch_size: must be at least 1, got '-4'")]
    [InlineData("batch_size: 16", "batch_size: many", "exp.yaml: batch_size: must be a number, got 'many'")]
    [InlineData("units: 8,", "units: eight,", "exp.yaml: model.layers.0.units: must be an integer, got 'eight'")]
    [InlineData("{name: dense, units: 3}", "{name: dens, units: 3}", "exp.yaml: model.layers.1.name: unknown layer 'dens'; did you mean 'dense'")]
    [InlineData("metrics: [accuracy]", "metrics: [acuracy]", "exp.yaml: metrics.0.name: unknown metric 'acuracy'; did you mean")]
    [InlineData("loss: sparse_categorical_crossentropy", "loss: sparse_categorical_crossentropi", "exp.yaml: loss.name: unknown loss 'sparse_categorical_crossentropi'; did you mean 'sparse_categorical_crossentropy'")]
    [InlineData("learning_rate: 0.01}", "learning_rate: 0.01, beta_one: 0.8}", "exp.yaml: optimizer.beta_one: unknown key; valid keys: beta_1, beta_2, ")]
    [InlineData("learning_rate: 0.01}", "learning_rate: fast}", "exp.yaml: optimizer.learning_rate: ")]
    [InlineData("test: {inputs: x_test.npy, targets: y_test.npy}", "test: {inputs: x_test.npy, target: y_test.npy}", "exp.yaml: data.test.target: unknown key; did you mean 'targets'?")]
    public void MistakesAreOneLineNamingTheKeyPathAndTheValue(string from, string to, string expected)
    {
        Assert.StartsWith(expected, Error(Replace(from, to)));
    }

    private const string ConvLayer = "{name: dense, units: 8, activation: relu}";

    [Fact]
    public void ConvolutionSizesMayBeHeightAndWidthLists()
    {
        var spec = Experiment.Parse(Replace(ConvLayer, "{name: conv2d, filters: 2, kernel_size: [3, 5], strides: [1, 2]}\n    - flatten"), "exp.yaml").Spec();
        var conv = Assert.IsType<Sparta.Layers.Conv2D>(Sparta.Layers.LayerRegistry.Create(spec.Model.Layers[0].Config));
        Assert.Equal((new Sparta.Tensors.Size2D(3, 5), new Sparta.Tensors.Size2D(1, 2)), (conv.KernelSize, conv.Strides));
    }

    [Theory]
    [InlineData("kernel_size: [3, 0]", "exp.yaml: model.layers.0: layer 'conv2d': kernel_size must be positive integers, got [3, 0]")]
    [InlineData("kernel_size: 3, strides: [1, 2, 1]", "exp.yaml: model.layers.0.strides: must be an integer or a list of two integers [height, width], got [1, 2, 1]")]
    [InlineData("kernel_size: [3, [1]]", "exp.yaml: model.layers.0.kernel_size.1: a list here holds plain values such as [3, 5], got [1]")]
    public void BadConvolutionSizesNameTheKeyPathAndTheValue(string sizes, string expected)
    {
        Assert.StartsWith(expected, Error(Replace(ConvLayer, $"{{name: conv2d, filters: 2, {sizes}}}\n    - flatten")));
    }

    [Fact]
    public void MissingSectionsSayWhatToWrite()
    {
        Assert.StartsWith("exp.yaml: loss: missing; e.g. loss: sparse_categorical_crossentropy", Error(Replace("loss: sparse_categorical_crossentropy", "")));
    }

    [Fact]
    public void AMisspeltTopLevelKeyIsNamedBeforeTheSectionItLeavesMissing()
    {
        string withoutData = string.Join('\n', ExperimentText.Small.Split('\n').Where(l => !l.StartsWith("data:") && !l.StartsWith("  t")));
        Assert.DoesNotContain("data:", withoutData);
        Assert.StartsWith("exp.yaml: optimiser: unknown key; did you mean 'optimizer'?",
            Error(withoutData.Replace("optimizer: {name: adam, learning_rate: 0.01}", "optimiser: adam")));
    }

    [Fact]
    public void EveryTopLevelKeyTheReaderAsksForIsDeclared()
    {
        // A key read but not declared is a bug the reader reports; every declared key must parse.
        var spec = Experiment.Parse(ExperimentText.Small + "\nshuffle: false\ncallbacks: []\ndiagnostics: false\n", "exp.yaml").Spec();
        Assert.False(spec.Shuffle);
    }

    [Fact]
    public void ABinaryFileIsRefusedWithPrintableCharactersOnly()
    {
        var bytes = new byte[4000];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0x1b; // ESC: what would start a terminal escape sequence
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        var e = Assert.ThrowsAny<ArgumentException>(() => Experiment.Parse(text, "weights.bin").Spec());
        Assert.StartsWith("weights.bin: ", e.Message);
        Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c == '\uFFFD');
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
    }

    [Theory]
    [InlineData("sparse_categorical_crossentropy")]
    [InlineData("mse")]
    public void MixupWithoutOneHotLabelsIsRefusedWhenTheFileIsRead(string loss)
    {
        string text = Replace("loss: sparse_categorical_crossentropy", $"loss: {loss}")
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  test: {inputs: x_test.npy, targets: y_test.npy}\n  augmentation: {mixup_alpha: 0.2}");
        Assert.StartsWith($"exp.yaml: data.augmentation.mixup_alpha: mixup blends one-hot labels: use loss categorical_crossentropy or data.one_hot: true; got loss '{loss}'", Error(text));
        Experiment.Parse(text.Replace($"loss: {loss}", "loss: categorical_crossentropy"), "exp.yaml").Spec();
        if (loss == "mse") Experiment.Parse(text.Replace("  augmentation:", "  one_hot: true\n  augmentation:"), "exp.yaml").Spec();
    }

    [Fact]
    public void YamlSyntaxErrorsNameTheLine()
    {
        Assert.StartsWith("exp.yaml: YAML syntax error at line 2", Error("epochs: 2\nseed: 3: 4"));
    }

    [Fact]
    public void OverridesReplaceValuesByKeyPath()
    {
        var experiment = Experiment.Parse(ExperimentText.Small, "exp.yaml")
            .With("optimizer.learning_rate", "0.5")
            .With("model.layers.0.units", "32")
            .With("optimizer.beta_1", "0.8");
        var spec = experiment.Spec();
        Assert.Equal(0.5, spec.Optimizer.Parameters["learning_rate"]);
        Assert.Equal(0.8, spec.Optimizer.Parameters["beta_1"]);
        Assert.Equal(32.0, spec.Model.Layers[0].Config.Parameters["units"]);
        Assert.Contains("learning_rate: 0.5", experiment.ToYaml());
    }

    [Fact]
    public void OverridesOfUnknownKeysOrMissingItemsFail()
    {
        var experiment = Experiment.Parse(ExperimentText.Small, "exp.yaml");
        Assert.StartsWith("exp.yaml: optimizer.learning_rat: unknown key; did you mean 'learning_rate'",
            Assert.Throws<ExperimentException>(() => experiment.With("optimizer.learning_rat", "0.1")).Message);
        Assert.StartsWith("exp.yaml: model.layers.7: no item '7' in a list of 2",
            Assert.Throws<ExperimentException>(() => experiment.With("model.layers.7.units", "4")).Message);
    }

    [Fact]
    public void ResolvedTextReadsBackToTheSameSpec()
    {
        var first = Experiment.Parse(ExperimentText.Small, "exp.yaml").With("optimizer.learning_rate", "0.003");
        var again = Experiment.Parse(first.ToYaml(), "exp.yaml");
        var (a, b) = (first.Spec(), again.Spec());
        Assert.Equal(a.Optimizer, b.Optimizer);
        Assert.Equal(a.Loss, b.Loss);
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Model.Layers.Select(l => l.Config), b.Model.Layers.Select(l => l.Config));
        Assert.Equal((a.Name, a.Seed, a.Epochs, a.BatchSize, a.Data.Train!.Targets), (b.Name, b.Seed, b.Epochs, b.BatchSize, b.Data.Train!.Targets));
        Assert.Equal(a.Data.Train.Inputs, b.Data.Train.Inputs);
    }
}
