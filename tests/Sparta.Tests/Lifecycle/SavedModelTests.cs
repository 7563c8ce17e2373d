using System.Globalization;
using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;

namespace Sparta.Tests.Lifecycle;

public class SavedModelTests
{
    [Fact]
    public void EvaluatingARunsModelGivesTheScoresTrainingPrinted()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        var trained = LifecycleFiles.TrainInto(run, LifecycleFiles.Write(directory.Path));
        var saved = ModelLoader.Load(Path.Combine(run, "model.sparta"));
        Assert.NotNull(saved.Experiment);

        var scores = ModelEvaluation.Evaluate(saved);
        Assert.Equal(trained.TestScores, scores);
        Assert.Equal(Scores.Line(RunDirectory.FinalScores(trained)), Scores.Line(RunDirectory.TestScores(scores)));

        // The same test set given as files: raw values, standardized by the saved pipeline.
        var fromFiles = ModelEvaluation.Evaluate(saved, new Dictionary<string, Tensor> { [""] = NpyFile.Read(directory.File("x_test.npy")) },
            NpyFile.Read(directory.File("y_test.npy")));
        Assert.Equal(scores["accuracy"], fromFiles["accuracy"]);
        Assert.Equal(scores["loss"], fromFiles["loss"], tolerance: 1e-6);
    }

    [Fact]
    public void PredictionsAreTheModelsOutputsAndTheirSoftmax()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        var trained = LifecycleFiles.TrainInto(run, LifecycleFiles.Write(directory.Path));
        var saved = ModelLoader.Load(run + "/model.sparta");
        var x = NpyFile.Read(directory.File("x_test.npy"));
        var outputs = ModelPrediction.Predict(saved, new Dictionary<string, Tensor> { [""] = x });
        // The trainer's own prediction on the data it was tested on (already standardized).
        Assert.Equal(trained.Trainer.Predict(trained.Data.Test!).ToArray(), outputs.ToArray());

        ModelPrediction.Write(directory.File("p.npy"), saved, outputs);
        Assert.Equal(outputs.ToArray(), NpyFile.Read(directory.File("p.npy")).ToArray());

        ModelPrediction.Write(directory.File("p.csv"), saved, outputs);
        var lines = File.ReadAllLines(directory.File("p.csv"));
        Assert.Equal("prediction,probability_0,probability_1,probability_2", lines[0]);
        Assert.Equal(61, lines.Length);
        var logits = outputs.ToArray();
        for (int r = 0; r < 60; r++)
        {
            var cells = lines[r + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var row = logits.AsSpan(r * 3, 3).ToArray();
            double total = row.Sum(v => Math.Exp(v));
            for (int k = 0; k < 3; k++) Assert.Equal(Math.Exp(row[k]) / total, cells[1 + k], tolerance: 1e-7);
            Assert.Equal(Array.IndexOf(row, row.Max()), (int)cells[0]);
        }
    }

    [Fact]
    public void ARegressionPredictsOneValueColumn()
    {
        var csv = ModelPrediction.Csv(Tensor.FromArray([1.5f, -2f], 2, 1), new Sparta.Losses.MeanSquaredError());
        Assert.Equal("prediction\n1.5\n-2\n", csv.ReplaceLineEndings("\n"));
        var binary = ModelPrediction.Csv(Tensor.FromArray([0f], 1, 1), new Sparta.Losses.BinaryCrossEntropy());
        Assert.Equal("prediction,probability_0,probability_1\n0,0.5,0.5\n", binary.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void BadModelFilesAndInputsFailInOneLineNamingTheFileAndTheInput()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        LifecycleFiles.TrainInto(run, LifecycleFiles.Write(directory.Path).With("epochs", "1"));
        string model = Path.Combine(run, "model.sparta");
        var saved = ModelLoader.Load(model);

        Assert.Equal($"model file '{directory.File("none.sparta")}': does not exist", Assert.Throws<ModelFileException>(() => ModelLoader.Load(directory.File("none.sparta"))).Message);
        File.WriteAllText(directory.File("corrupt.sparta"), "not a zip");
        Assert.Contains("is not a zip archive", Assert.Throws<ModelFileException>(() => ModelLoader.Load(directory.File("corrupt.sparta"))).Message);
        File.WriteAllText(directory.File("keras.h5"), "HDF");
        var foreign = Assert.Throws<ModelFileException>(() => ModelLoader.Load(directory.File("keras.h5")));
        Assert.Contains("unknown model format '.h5' (known: ", foreign.Message);
        Assert.Contains(".sparta", foreign.Message);

        var narrow = Assert.Throws<ModelFileException>(() => ModelPrediction.Predict(saved, new Dictionary<string, Tensor> { [""] = Tensor.Zeros(7, 3) }));
        Assert.Equal($"model file '{model}': input 'input' takes samples of shape (4), got (7, 3) (7 samples of (3))", narrow.Message);
        var named = Assert.Throws<ModelFileException>(() => ModelPrediction.Predict(saved, new Dictionary<string, Tensor> { ["imput"] = Tensor.Zeros(7, 4) }));
        Assert.Contains("has no input 'imput'; closest valid names: input", named.Message);
        var two = Assert.Throws<ModelFileException>(() => ModelPrediction.Predict(saved,
            new Dictionary<string, Tensor> { ["input"] = Tensor.Zeros(7, 4), ["other"] = Tensor.Zeros(7, 4) }));
        Assert.Contains("has no input 'other'", two.Message);
        Assert.Contains("expected 7 samples", Assert.Throws<ArgumentException>(() => ModelEvaluation.Evaluate(saved,
            new Dictionary<string, Tensor> { [""] = Tensor.Zeros(7, 4) }, Tensor.Zeros(6))).Message);
        var classes = Assert.Throws<ArgumentException>(() => ModelEvaluation.Evaluate(saved,
            new Dictionary<string, Tensor> { [""] = Tensor.Zeros(2, 4) }, Tensor.FromArray([0f, 5f], 2)));
        Assert.Contains("class 5", classes.Message);

        // A bare model records no loss to evaluate with.
        ModelFile.Save(directory.File("bare.sparta"), saved.Model);
        Assert.Contains("no loss", Assert.Throws<ModelFileException>(() => ModelEvaluation.Evaluate(ModelLoader.Load(directory.File("bare.sparta")))).Message);
    }

    [Fact]
    public void AFormatRegistersWithOneLine()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        LifecycleFiles.TrainInto(run, LifecycleFiles.Write(directory.Path).With("epochs", "1"));
        File.Copy(Path.Combine(run, "model.sparta"), directory.File("copy.alias"));
        ModelLoader.Register(".alias", SavedModel.FromSpartaFile);
        Assert.Equal(5, ModelLoader.Load(directory.File("copy.alias")).Model.Layers.Count);
        Assert.Throws<ArgumentException>(() => ModelLoader.Register("alias", SavedModel.FromSpartaFile));
    }
}
