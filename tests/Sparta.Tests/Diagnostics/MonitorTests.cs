using Sparta.Diagnostics;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Tests.Training;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Diagnostics;

public class MonitorTests
{
    /// <summary>Copies of the weights before training and after every epoch, taken by the test itself.</summary>
    private sealed class WeightRecorder : Callback
    {
        public List<Dictionary<string, Tensor>> Weights { get; } = [];
        public override void OnTrainBegin(Trainer trainer) => Weights.Add(trainer.Model.GetWeights());
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) => Weights.Add(trainer.Model.GetWeights());
    }

    private static Model Network(ulong seed) => new Sequential([2], [new Dense(8, "tanh"), new Dense(3)], "net", seed);

    private static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));

    [Fact]
    public void UpdateRatiosAndGradientNormsMatchTheWeightsChanges()
    {
        // One batch per epoch, so each epoch's mean is one step; with plain SGD, ΔW = −lr·g.
        const double rate = 0.1;
        var data = TrainingData.Blobs(60, 1);
        var trainer = Network(2).Compile(new Sgd(rate), "sparse_categorical_crossentropy");
        var recorder = new WeightRecorder();
        var monitor = new UpdateRatioMonitor();
        trainer.Fit(data, epochs: 3, batchSize: 60, seed: 1, callbacks: [recorder, monitor], verbose: false);

        Assert.Equal([1, 2, 3], monitor.Records.Select(r => r.Epoch));
        for (int e = 1; e <= 3; e++)
        {
            var record = monitor.Records[e - 1];
            Assert.Equal(1, record.Steps);
            foreach (string name in new[] { "dense/kernel", "dense_1/kernel", "dense/bias" })
            {
                float[] before = recorder.Weights[e - 1][name].ToArray(), after = recorder.Weights[e][name].ToArray();
                double change = Norm(before.Zip(after, (b, a) => (double)a - b));
                double size = Norm(before.Select(v => (double)v));
                if (size > 0) Assert.Equal(change / size, record[name].UpdateRatio, 1e-6 * (change / size) + 1e-12);
                else Assert.True(double.IsNaN(record[name].UpdateRatio), $"{name} starts at zero: no ratio");
                Assert.Equal(change / rate, record[name].GradientNorm, 1e-4 * (change / rate) + 1e-9);
            }
        }
    }

    [Fact]
    public void UpdateRatiosAverageEveryStepOfTheEpoch()
    {
        var data = TrainingData.Blobs(60, 1);
        var trainer = Network(2).Compile(new Adam(0.01), "sparse_categorical_crossentropy");
        var monitor = new UpdateRatioMonitor();
        trainer.Fit(data, epochs: 2, batchSize: 20, seed: 1, callbacks: [monitor], verbose: false);
        Assert.All(monitor.Records, r => Assert.Equal(3, r.Steps));
        // Adam's first steps move every weight by about lr, so the kernel's ratio is near lr·√n / ||W||.
        Assert.All(monitor.Records, r => Assert.InRange(r["dense/kernel"].UpdateRatio, 1e-3, 1e-1));
    }

    /// <summary>Copies of the weights before training and after every step.</summary>
    private sealed class StepRecorder : Callback
    {
        public List<Dictionary<string, Tensor>> Weights { get; } = [];
        public override void OnTrainBegin(Trainer trainer) => Weights.Add(trainer.Model.GetWeights());
        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Weights.Add(trainer.Model.GetWeights());
    }

    [Fact]
    public void MeasuringEveryThirdStepAveragesExactlyThoseSteps()
    {
        // 6 steps an epoch, 2 epochs: steps 0 and 3 fall in the first epoch, 6 and 9 in the second.
        var data = TrainingData.Blobs(60, 1);
        var trainer = Network(2).Compile(new Adam(0.01), "sparse_categorical_crossentropy");
        var recorder = new StepRecorder();
        var monitor = new UpdateRatioMonitor(every: 3);
        trainer.Fit(data, epochs: 2, batchSize: 10, seed: 1, callbacks: [recorder, monitor], verbose: false);
        double Ratio(int step, string name)
        {
            float[] before = recorder.Weights[step][name].ToArray(), after = recorder.Weights[step + 1][name].ToArray();
            return Norm(before.Zip(after, (b, a) => (double)a - b)) / Norm(before.Select(v => (double)v));
        }
        foreach (var (record, steps) in monitor.Records.Zip(new[] { new[] { 0, 3 }, [6, 9] }))
        {
            Assert.Equal(2, record.Steps);
            foreach (string name in new[] { "dense/kernel", "dense_1/kernel" })
            {
                double expected = steps.Average(s => Ratio(s, name));
                Assert.Equal(expected, record[name].UpdateRatio, 1e-5 * expected);
            }
        }
    }

    [Fact]
    public void ActivationStatisticsMatchAForwardPassByHand()
    {
        var data = TrainingData.Blobs(60, 3);
        var model = Network(4);
        var trainer = model.Compile(new Sgd(0.05), "sparse_categorical_crossentropy");
        var batch = data.Input("input");
        var monitor = new ActivationMonitor(batch);
        trainer.Fit(data, epochs: 2, batchSize: 20, seed: 1, callbacks: [monitor], verbose: false);

        Assert.Equal([0, 1, 2], monitor.Records.Select(r => r.Epoch));
        var w = model.GetWeights();
        float[] x = batch.ToArray(), w1 = w["dense/kernel"].ToArray(), b1 = w["dense/bias"].ToArray();
        float[] w2 = w["dense_1/kernel"].ToArray(), b2 = w["dense_1/bias"].ToArray();
        int n = batch.Shape[0];
        var hidden = new double[n * 8];
        var output = new double[n * 3];
        for (int s = 0; s < n; s++)
        {
            for (int j = 0; j < 8; j++)
                hidden[s * 8 + j] = Math.Tanh(x[s * 2] * w1[j] + x[s * 2 + 1] * w1[8 + j] + b1[j]);
            for (int j = 0; j < 3; j++)
            {
                double sum = b2[j];
                for (int k = 0; k < 8; k++) sum += hidden[s * 8 + k] * w2[k * 3 + j];
                output[s * 3 + j] = sum;
            }
        }
        var last = monitor.Records[^1];
        Assert.Equal(["dense", "dense_1"], last.Layers.Select(l => l.Layer));
        Assert.Equal(["tanh", "linear"], last.Layers.Select(l => l.Activation));
        foreach (var (name, values) in new[] { ("dense", hidden), ("dense_1", output) })
        {
            double mean = values.Average();
            double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(mean, last[name].Mean, 1e-5);
            Assert.Equal(std, last[name].Std, 1e-5);
            double saturated = name == "dense" ? values.Count(v => Math.Abs(v) > 0.99) / (double)values.Length : 0;
            Assert.Equal(saturated, last[name].Saturated, 1e-9);
        }
    }

    [Fact]
    public void DeadReluUnitsAreCounted()
    {
        // Biases of −100 keep half the units below zero for every input in [−1, 1].
        var model = new Sequential([2], [new Dense(4, "relu")], "relu", 1);
        var biasTensor = model.Parameters.Single(p => p.Name == "dense/bias").Value;
        biasTensor.Span[0] = -100;
        biasTensor.Span[2] = -100;
        float[] bias = biasTensor.ToArray();
        var batch = Tensor.Zeros(10, 2);
        new RandomGenerator(1).FillUniform(batch.Span, -1, 1);
        float[] x = batch.ToArray();
        var output = LayerOutputs.Of(model, batch).Single();
        var stats = ActivationStatistics.Of(output.Output, output.Activation);
        Assert.InRange(stats.Dead, 0.5, 1.0);
        var kernel = model.Parameters.Single(p => p.Name == "dense/kernel").Value.ToArray();
        int alive = Enumerable.Range(0, 4).Count(j => Enumerable.Range(0, 10)
            .Any(s => x[2 * s] * kernel[j] + x[2 * s + 1] * kernel[4 + j] + bias[j] > 0));
        Assert.Equal((4 - alive) / 4.0, stats.Dead, 12);
    }

    [Theory]
    [InlineData(1e-5, "raise the learning rate")]
    [InlineData(5e-3, "healthy")]
    [InlineData(0.05, "consider a lower")]
    [InlineData(0.5, "rewrites the weights")]
    [InlineData(double.NaN, "no ratio")]
    public void RatiosAreReadAsTheSlidesDo(double ratio, string words) => Assert.Contains(words, UpdateRatioMonitor.Assess(ratio));
}
