using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Data.Splits;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Preprocessing;

public class PipelineTests
{
    [Fact]
    public void SavedPipelineTransformsExactlyLikeTheFittedOne()
    {
        var random = new RandomGenerator(31);
        var train = Naive.Correlated(random, 80, 12).Reshape(80, 3, 2, 2);
        var test = Naive.Correlated(random, 10, 12).Reshape(10, 3, 2, 2);
        var pipeline = PreprocessingPipeline.FromConfig(
        [
            new("standardize", new Dictionary<string, string> { ["scope"] = "channel" }),
            new("min_max", new Dictionary<string, string> { ["low"] = "-1", ["high"] = "1", ["scope"] = "all" }),
            new("sample_normalize"),
            new("pca", new Dictionary<string, string> { ["components"] = "4", ["whiten"] = "true" }),
        ]);
        pipeline.Fit(train);

        var loaded = PreprocessingPipeline.FromJson(pipeline.ToJson());

        Assert.Equal(pipeline.Transform(test).ToArray(), loaded.Transform(test).ToArray());
        Assert.Equal([10, 4], loaded.Transform(test).Shape.ToArray());
        Assert.Equal(["standardize", "min_max", "sample_normalize", "pca"], loaded.Steps.Select(s => s.Name));
    }

    [Fact]
    public void InPlaceMatchesCopyAndTransformLeavesItsInputAlone()
    {
        var x = Naive.Random(new RandomGenerator(35), 30, 2, 3, 3);
        var before = x.ToArray();
        var pipeline = new PreprocessingPipeline([new Standardize(StatisticsScope.Channel), new MinMaxScale(StatisticsScope.All, -1, 1), new SampleNormalize()]);
        var copy = pipeline.FitTransform(x);
        Assert.Equal(before, x.ToArray());
        Assert.Equal(copy.ToArray(), pipeline.Transform(x).ToArray());
        Assert.Equal(before, x.ToArray());

        foreach (var step in pipeline.Steps) step.TransformInPlace(x);
        Assert.Equal(copy.ToArray(), x.ToArray());

        var pca = new Pca(components: 2);
        pca.Fit(x);
        Assert.Contains("in place", Assert.Throws<InvalidOperationException>(() => pca.TransformInPlace(x)).Message);
    }

    [Fact]
    public void ZcaAndCenterRoundTripToo()
    {
        var train = Naive.Correlated(new RandomGenerator(32), 50, 4);
        var pipeline = new PreprocessingPipeline([new Standardize(StatisticsScope.All, unitVariance: false), new Zca(0.1)]);
        var expected = pipeline.FitTransform(train);
        Assert.Equal(expected.ToArray(), PreprocessingPipeline.FromJson(pipeline.ToJson()).Transform(train).ToArray());
    }

    [Fact]
    public void FitApplyFitsOnTheTrainingSplitOnly()
    {
        var x = Naive.Random(new RandomGenerator(33), 20, 2);
        var data = Dataset.Classification([("x", x)], Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), 2);
        var split = SplitIndices.Create(20, 0.25, 0, new RandomGenerator(34), data.Labels);
        var (train, validation) = (data.Subset(split.Train), data.Subset(split.Validation));

        var result = new PreprocessingPipeline([new Standardize()]).FitApply("x", train, validation);

        var mean = Naive.ColumnMeans(train.Input("x"));
        var std = Naive.ColumnStds(train.Input("x"));
        var v = validation.Input("x");
        for (int i = 0; i < v.Size; i++) Assert.Equal((v.Span[i] - mean[i % 2]) / std[i % 2], result[1].Input("x").Span[i], 4);
    }

    [Theory]
    [InlineData("whiten", "{}", "unknown step 'whiten'")]
    [InlineData("standardize", "{\"scope\":\"pixel\"}", "'pixel'")]
    [InlineData("standardize", "{\"axis\":\"1\"}", "unknown parameter 'axis'")]
    [InlineData("pca", "{\"components\":\"two\"}", "'two'")]
    [InlineData("min_max", "{\"low\":\"1\",\"high\":\"0\"}", "low=1, high=0")]
    public void BadConfigsNameTheKeyAndValue(string name, string parameters, string message)
    {
        var values = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(parameters)!;
        var e = Assert.Throws<ArgumentException>(() => Preprocessor.Create(new PreprocessorConfig(name, values)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void OneHotUsesTrainingCategoriesAndRejectsUnseenOnes()
    {
        var encoder = new OneHotEncoder("color");
        encoder.Fit(["red", "blue", "red"]);
        Assert.Equal([0f, 1f, 1f, 0f], encoder.Transform(["red", "blue"]).ToArray());
        var e = Assert.Throws<ArgumentException>(() => encoder.Transform(["green"]));
        Assert.Contains("'color'", e.Message);
        Assert.Contains("'green'", e.Message);
        Assert.Equal(encoder.Categories, OneHotEncoder.Load(encoder.Save()).Categories);
    }

    [Fact]
    public void TabularEncoderBuildsNumericThenOneHotColumns()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.csv");
        File.WriteAllText(path, "height,shape,weight,label\n1,round,10,a\n2,square,20,b\n3,round,30,a\n4,star,40,b\n");
        var table = CsvReader.Read(path, categorical: ["shape", "label"]);

        var encoder = TabularEncoder.Fit(table.Rows([0, 1, 2]), target: "label");
        var features = encoder.Encode(table.Rows([0, 1, 2]));

        Assert.Equal(["height", "weight"], encoder.NumericColumns);
        Assert.Equal([1, 10, 1, 0, 2, 20, 0, 1, 3, 30, 1, 0], features.ToArray());
        Assert.EndsWith("t.csv: row 4, column 'shape': category 'star' is not among the training data's (round, square)", Assert.Throws<Sparta.Data.DataFileException>(() => encoder.Encode(table)).Message);
        var json = System.Text.Json.JsonSerializer.Serialize(encoder.Save());
        var loaded = TabularEncoder.Load(System.Text.Json.JsonSerializer.Deserialize<PreprocessorState>(json)!);
        Assert.Equal(features.ToArray(), loaded.Encode(table.Rows([0, 1, 2])).ToArray());
    }
}
