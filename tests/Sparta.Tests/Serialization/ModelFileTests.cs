using System.IO.Compression;
using Sparta.Autograd;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Training;
using Sparta.Training;

namespace Sparta.Tests.Serialization;

public class ModelFileTests
{
    private static Model ConvNet(ulong seed) => new Sequential([1, 6, 6],
    [
        new Conv2D(3, 3, "relu", padding: "same"), new BatchNormalization(), new MaxPool2D(2),
        new Flatten(), new Dropout(0.2), new Dense(4),
    ], "convnet", seed);

    [Fact]
    public void ModelRoundTripKeepsArchitectureWeightsAndPredictions()
    {
        using var directory = new TempDirectory();
        var model = ConvNet(3);
        var x = Tensor.Zeros(5, 1, 6, 6);
        new RandomGenerator(1).FillNormal(x.Span, 0, 1);
        // Train a step so batch-norm statistics and weights differ from a fresh build of the same seed.
        model.Compile(new Adam(0.1), "mse").Fit(new Sparta.Data.Dataset([("input", x)], Tensor.Full(1f, 5, 4)), 2, 5, verbose: false);

        string path = directory.File("sub/model.zip");
        ModelFile.Save(path, model);
        var loaded = ModelFile.Load(path);
        Assert.False(loaded.HasTrainingState);
        Assert.Equal(model.ToJson(), loaded.Model.ToJson());
        TrainingData.AssertSameWeights(model, loaded.Model);
        using (Tape.NoGrad()) Assert.Equal(model.Forward(x).ToArray(), loaded.Model.Forward(x).ToArray());
        Assert.NotEqual(ConvNet(3).GetWeights()["batch_normalization/moving_mean"].ToArray(), loaded.Model.GetWeights()["batch_normalization/moving_mean"].ToArray());

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["config.json", "weights.bin", "weights.json"], zip.Entries.Select(e => e.FullName).Order());
        string config = new StreamReader(zip.GetEntry("config.json")!.Open()).ReadToEnd();
        Assert.DoesNotContain("Sparta.", config);
        Assert.Contains("\"conv2d\"", config);
        // The blob is the weights in index order as little-endian float32, nothing else.
        long expectedBytes = model.Parameters.Sum(p => (long)p.Value.Size) * 4 + model.State.Sum(s => (long)s.Value.Size) * 4;
        Assert.Equal(expectedBytes, zip.GetEntry("weights.bin")!.Length);
    }

    [Fact]
    public void ResumedCheckpointEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var directory = new TempDirectory();
        var data = TrainingData.Blobs(90, 5);
        var validation = TrainingData.Blobs(30, 6);
        Trainer Fresh() => TrainingData.Classifier(9, dropout: true).Compile(
            new Adam(new ExponentialDecay(0.01, 10, 0.9)), "sparse_categorical_crossentropy", "accuracy");

        var straight = Fresh();
        straight.Fit(data, epochs: 4, batchSize: 16, validationData: validation, seed: 21, verbose: false);

        var first = Fresh();
        first.Fit(data, epochs: 2, batchSize: 16, validationData: validation, seed: 21, verbose: false);
        string path = directory.File("checkpoint.zip");
        ModelFile.Save(path, first);
        var file = ModelFile.Load(path);
        Assert.True(file.HasTrainingState);
        Assert.Equal(2, file.Epoch);
        Assert.Equal(21UL, file.Seed);
        var resumed = file.CreateTrainer();
        resumed.Fit(data, epochs: 4, batchSize: 16, validationData: validation, seed: file.Seed, verbose: false);

        TrainingData.AssertSameWeights(straight.Model, resumed.Model);
        TrainingData.AssertSameHistory(straight.History, resumed.History);
        Assert.Equal(straight.Optimizer.Iterations, resumed.Optimizer.Iterations);
    }

    [Fact]
    public void PlateauScheduleStateTravelsWithTheCheckpoint()
    {
        using var directory = new TempDirectory();
        var schedule = new ReduceOnPlateau(0.01, factor: 0.5, patience: 1);
        var trainer = TrainingData.Classifier(2).Compile(new Sgd(schedule), "sparse_categorical_crossentropy");
        trainer.Fit(TrainingData.Blobs(40, 1), 3, 10, validationData: TrainingData.Blobs(20, 2, flipLabels: true),
            callbacks: [new Sparta.Training.Callbacks.ReduceLearningRateOnPlateau()], verbose: false);
        ModelFile.Save(directory.File("c.zip"), trainer);
        var restored = (ReduceOnPlateau)((Optimizer)ModelFile.Load(directory.File("c.zip")).CreateTrainer().Optimizer).LearningRate;
        Assert.Equal(schedule.ExportState(), restored.ExportState());
        Assert.True(restored.CurrentLearningRate < 0.01);
    }

    [Fact]
    public void PreprocessingIsSavedByInputName()
    {
        using var directory = new TempDirectory();
        var x = TrainingData.Blobs(50, 1).Input("input");
        var pipeline = new PreprocessingPipeline([new Standardize()]);
        var expected = pipeline.FitTransform(x);
        ModelFile.Save(directory.File("m.zip"), TrainingData.Classifier(1), new Dictionary<string, PreprocessingPipeline> { ["input"] = pipeline });
        var loaded = ModelFile.Load(directory.File("m.zip"));
        Assert.Equal(expected.ToArray(), loaded.Preprocessing["input"].Transform(x).ToArray());
    }

    [Fact]
    public void SavingReplacesTheFileWholeAndLeavesNoTemporaryFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("m.zip");
        File.WriteAllText(path, "old");
        ModelFile.Save(path, TrainingData.Classifier(1));
        Assert.Equal(["m.zip"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
        Assert.Equal(TrainingData.Classifier(1).ToJson(), ModelFile.Load(path).Model.ToJson());
    }

    [Fact]
    public void DamagedOrForeignFilesFailWithOneLineNamingTheFile()
    {
        using var directory = new TempDirectory();
        string garbage = directory.File("garbage.zip");
        File.WriteAllText(garbage, "not a zip");
        AssertFails(garbage, "zip");
        AssertFails(directory.File("missing.zip"), "does not exist");

        string good = directory.File("good.zip");
        ModelFile.Save(good, TrainingData.Classifier(1));
        AssertFails(Rewrite(directory, good, "config.json", text => text.Replace("\"format_version\": 1", "\"format_version\": 99")), "format version 99");
        AssertFails(Rewrite(directory, good, "config.json", text => text.Replace("\"dense\"", "\"dens\"")), "dens");
        AssertFails(Rewrite(directory, good, "weights.json", text => text.Replace("\"dense/kernel\"", "\"dense/kernal\"")), "dense/kernal");
        AssertFails(Rewrite(directory, good, "weights.json", text => text.Replace("\"offset\": 0", "\"offset\": 99999")), "runs past the end");
        AssertFails(Rewrite(directory, good, "weights.json", null), "lacks entry 'weights.json'");
        AssertFails(Rewrite(directory, good, "config.json", _ => "{ not json"), "invalid JSON");
        Assert.Contains("no training state", Assert.Throws<ModelFileException>(() => ModelFile.Load(good).CreateTrainer()).Message);
    }

    private static void AssertFails(string path, string expected)
    {
        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.StartsWith($"model file '{path}'", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    /// <summary>A copy of <paramref name="source"/> with one entry's text changed (or the entry removed when <paramref name="change"/> is null).</summary>
    private static string Rewrite(TempDirectory directory, string source, string entry, Func<string, string>? change)
    {
        string path = directory.File($"changed-{Guid.NewGuid():N}.zip");
        File.Copy(source, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var old = zip.GetEntry(entry)!;
        string text;
        using (var reader = new StreamReader(old.Open())) text = reader.ReadToEnd();
        old.Delete();
        if (change is null) return path;
        using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
        writer.Write(change(text));
        return path;
    }
}
