using Sparta.Diagnostics;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tests.Training;
using Sparta.Training;

namespace Sparta.Tests.Diagnostics;

public class DoctorTests
{
    [Fact]
    public void ARateTooSmallIsNamed()
    {
        var trainer = TrainingData.Classifier(1).Compile(new Sgd(1e-7), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(TrainingData.Blobs(100, 1), epochs: 3, batchSize: 20, seed: 1, verbose: false);
        var findings = Doctor.Diagnose(history);
        Assert.Equal(["learning rate too small"], findings.Select(f => f.Problem));
    }

    [Fact]
    public void ADivergingRateIsNamed()
    {
        // Linear regression with inputs in [−1, 1] diverges under SGD above a rate of 1.
        var trainer = new Sequential([2], [new Dense(1)], "linear", 1).Compile(new Sgd(3.0), "mse");
        var history = trainer.Fit(TrainingData.Linear(200, 1), epochs: 3, batchSize: 20, seed: 1, verbose: false);
        var findings = Doctor.Diagnose(history);
        Assert.Contains(findings, f => f.Problem == "divergence");
    }

    [Fact]
    public void AnOverfittingModelIsNamed()
    {
        // Validation labels are rotated: the better the fit of the training set, the worse the validation loss.
        var trainer = TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(TrainingData.Blobs(200, 1), epochs: 15, batchSize: 20, validationData: TrainingData.Blobs(100, 2, flipLabels: true), seed: 1, verbose: false);
        var findings = Doctor.Diagnose(history);
        Assert.Equal(["overfitting"], findings.Select(f => f.Problem));
        Assert.Contains("validation loss rose", findings[0].Evidence);
    }

    [Fact]
    public void AHealthyRunHasNoFinding()
    {
        var model = TrainingData.Classifier(4);
        var data = TrainingData.Blobs(200, 1);
        var activations = new ActivationMonitor(data.Input("input"));
        var ratios = new UpdateRatioMonitor();
        var trainer = model.Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(data, epochs: 5, batchSize: 20, validationData: TrainingData.Blobs(100, 2), seed: 1, callbacks: [activations, ratios], verbose: false);
        Assert.Empty(Doctor.Diagnose(history, RunDiagnostics.From(activations, ratios)).Select(f => f.ToString()));
    }

    [Fact]
    public void VanishingActivationsAreNamed()
    {
        var data = TrainingData.Blobs(50, 1);
        var layers = Enumerable.Range(0, 4).Select(_ => (Layer)new Dense(20, new Sparta.Activations.Tanh(), kernelInitializer: new Sparta.Initializers.RandomNormal(0, 0.01)))
            .Append(new Dense(3)).ToArray();
        var model = new Sequential([2], layers, "deep", 1);
        var activations = new ActivationMonitor(data.Input("input"));
        var history = model.Compile(new Sgd(1e-3), "sparse_categorical_crossentropy").Fit(data, epochs: 1, batchSize: 50, seed: 1, callbacks: [activations], verbose: false);
        Assert.Contains(Doctor.Diagnose(history, RunDiagnostics.From(activations, null)), f => f.Problem == "vanishing activations");
    }

    [Fact]
    public void SaturatedSigmoidUnitsAreNamedWithTheirFraction()
    {
        // Weights of std 5 on inputs of size ~4 push the sigmoid's inputs far beyond ±5, where it is flat.
        var data = TrainingData.Blobs(60, 1);
        var model = new Sequential([2], [new Dense(16, new Sparta.Activations.Sigmoid(), kernelInitializer: new Sparta.Initializers.RandomNormal(0, 5)), new Dense(3)], "flat", 1);
        var activations = new ActivationMonitor(data.Input("input"));
        var history = model.Compile(new Sgd(1e-3), "sparse_categorical_crossentropy").Fit(data, epochs: 1, batchSize: 60, seed: 1, callbacks: [activations], verbose: false);
        var saturated = Doctor.Diagnose(history, RunDiagnostics.From(activations, null)).Single(f => f.Problem == "saturated units");
        double fraction = activations.Records[^1]["dense"].Saturated;
        Assert.True(fraction > Doctor.SaturatedLimit, $"built to saturate, got {fraction}");
        Assert.StartsWith($"layer dense (sigmoid): {100 * fraction:F0}% of its outputs are in the flat region (a < 0.01 or a > 0.99)", saturated.Evidence);
    }
}
