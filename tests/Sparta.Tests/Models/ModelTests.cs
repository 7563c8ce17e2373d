using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Tests.Models;

public class ModelTests
{
    /// <summary>The bone-age shape of model: an image branch (conv + global average pooling) joined with a scalar input, then Dense 32 and Dense 1.</summary>
    private static Model BoneAge(ulong seed = 3)
    {
        var image = Model.Input([1, 6, 6], "image");
        var sex = Model.Input([1], "sex");
        var features = new GlobalAveragePooling2D().Call(new Conv2D(4, 3, "relu", padding: "same").Call(image));
        var joined = new Concatenate().Call(features, sex);
        var hidden = new Dense(32, "relu").Call(joined);
        return new Model([image, sex], new Dense(1).Call(hidden), "bone_age", seed);
    }

    /// <summary>A learnable target: the mean brightness of the image plus 0.5 per unit of the scalar input.</summary>
    private static (Dictionary<string, Tensor> Inputs, Tensor Targets) BoneAgeBatch(int batch, ulong seed)
    {
        var random = new RandomGenerator(seed);
        var image = Tensor.Zeros(batch, 1, 6, 6);
        var sex = Tensor.Zeros(batch, 1);
        var targets = Tensor.Zeros(batch, 1);
        random.FillUniform(image.Span, 0, 1);
        for (int i = 0; i < batch; i++)
        {
            sex.Span[i] = random.NextInt(2);
            double mean = 0;
            for (int p = 0; p < 36; p++) mean += image.Span[i * 36 + p];
            targets.Span[i] = (float)(mean / 36 * 2 + 0.5 * sex.Span[i]);
        }
        return (new() { ["image"] = image, ["sex"] = sex }, targets);
    }

    private static float TrainSteps(Model model, Loss loss, Dictionary<string, Tensor> inputs, Tensor targets, int steps, Optimizer optimizer)
    {
        float last = 0;
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            var value = loss.Compute(model.Forward(inputs, training: true), targets);
            value.Backward();
            optimizer.Step(model.TrainableParameters);
            last = value.Item();
        }
        return last;
    }

    [Fact]
    public void MultiInputBoneAgeGraphTrainsWithMae()
    {
        var model = BoneAge();
        var (inputs, targets) = BoneAgeBatch(16, 1);
        var loss = new MeanAbsoluteError();
        float before;
        using (Tape.NoGrad()) before = loss.Compute(model.Forward(inputs), targets).Item();
        float after = TrainSteps(model, loss, inputs, targets, 60, new Adam(0.01));
        Assert.True(after < before * 0.5, $"MAE {before} before training, {after} after");
        Assert.Equal(["image", "sex"], model.InputNames);
        Assert.Equal(new Shape(1), model.OutputShape);
    }

    [Fact]
    public void SummaryCountsMatchHandCounts()
    {
        var model = BoneAge();
        long conv = 4 * 1 * 9 + 4, dense32 = (4 + 1) * 32 + 32, dense1 = 32 + 1;
        Assert.Equal(conv + dense32 + dense1, model.TrainableParameterCount);
        Assert.Equal(0, model.NonTrainableParameterCount);
        var summary = model.Summary();
        Assert.Contains($"Total params: {conv + dense32 + dense1:N0}", summary);
        Assert.Contains("conv2d (conv2d)", summary);
        Assert.Contains("(None, 4, 6, 6)", summary);
        Assert.Contains("concatenate (concatenate)", summary);
        Assert.Contains("(None, 5)", summary);
        Assert.Contains("dense_1 (dense)", summary);

        var withNorm = new Sequential([3], [new Dense(4), new BatchNormalization(), new Dense(2)]);
        Assert.Equal((3 * 4 + 4) + 2 * 4 + (4 * 2 + 2), withNorm.TrainableParameterCount);
        Assert.Equal(2 * 4, withNorm.NonTrainableParameterCount);
        Assert.Contains("Non-trainable params: 8", withNorm.Summary());
    }

    [Fact]
    public void FrozenLayersDoNotChangeWhileTheHeadTrains()
    {
        var model = BoneAge();
        var conv = model.GetLayer("conv2d");
        conv.Trainable = false;
        var frozen = conv.Parameters.Select(p => p.Value.ToArray()).ToArray();
        var head = model.GetLayer("dense_1").Parameters.Select(p => p.Value.ToArray()).ToArray();
        var (inputs, targets) = BoneAgeBatch(8, 2);
        TrainSteps(model, new MeanSquaredError(), inputs, targets, 5, new Adam(0.01));
        for (int i = 0; i < frozen.Length; i++)
        {
            Assert.Equal(frozen[i], conv.Parameters[i].Value.ToArray());
            Assert.Null(conv.Parameters[i].Value.Grad);
        }
        Assert.NotEqual(head[0], model.GetLayer("dense_1").Parameters[0].Value.ToArray());
        Assert.Equal(conv.ParameterCount, model.NonTrainableParameterCount);

        conv.Trainable = true; // fine-tuning: unfrozen, it trains again
        TrainSteps(model, new MeanSquaredError(), inputs, targets, 2, new Adam(0.01));
        Assert.NotEqual(frozen[0], conv.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void ConfigAndWeightsRoundTripToTheSameOutputs()
    {
        var model = BoneAge(seed: 5);
        model.GetLayer("dense").Trainable = false;
        var (inputs, _) = BoneAgeBatch(4, 3);
        var copy = Model.FromJson(model.ToJson());
        Assert.Equal(model.ToJson(), copy.ToJson());
        Assert.False(copy.GetLayer("dense").Trainable);
        copy.SetWeights(model.GetWeights());
        Assert.Equal(model.Forward(inputs).ToArray(), copy.Forward(inputs).ToArray());
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOther()
    {
        var a = BoneAge(seed: 7).GetWeights();
        var b = BoneAge(seed: 7).GetWeights();
        var c = BoneAge(seed: 8).GetWeights();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
        Assert.NotEqual(a["dense/kernel"].ToArray(), c["dense/kernel"].ToArray());
    }

    [Fact]
    public void SharedLayerAppearsOnceWithItsWeights()
    {
        var input = Model.Input([3], "x");
        var shared = new Dense(3, "tanh", name: "shared");
        var model = new Model(input, shared.Call(shared.Call(input)));
        Assert.Single(model.Layers);
        Assert.Equal(12, model.TrainableParameterCount);
        var x = Tensor.FromArray([0.1f, -0.2f, 0.3f], 1, 3);
        Assert.Equal(shared.Call(shared.Call(x)).ToArray(), model.Forward(x).ToArray());
        var copy = Model.FromJson(model.ToJson());
        copy.SetWeights(model.GetWeights());
        Assert.Equal(model.Forward(x).ToArray(), copy.Forward(x).ToArray());
    }

    [Fact]
    public void RegularizationLossIsTheSumOfPenaltiesAndFollowsFreezing()
    {
        var dense = new Dense(2, kernelRegularizer: new L1L2(0, 0.1), name: "d");
        var model = new Sequential([3], [dense, new Dense(1, kernelRegularizer: new L1L2(0.2, 0))]);
        var kernel1 = dense.Kernel.Value.ToArray();
        var kernel2 = ((Dense)model.Layers[1]).Kernel.Value.ToArray();
        double expected = 0.1 * kernel1.Sum(w => (double)w * w) + 0.2 * kernel2.Sum(w => Math.Abs((double)w));
        Assert.Equal(expected, model.RegularizationLoss()!.Item(), 5);
        model.Layers[1].Trainable = false;
        Assert.Equal(0.1 * kernel1.Sum(w => (double)w * w), model.RegularizationLoss()!.Item(), 5);
        Assert.Null(new Sequential([3], [new Dense(2)]).RegularizationLoss());
    }

    [Fact]
    public void BadInputsFailWithTheNameAtFault()
    {
        var model = BoneAge();
        var (inputs, _) = BoneAgeBatch(2, 4);
        inputs["age"] = inputs["sex"];
        Assert.Contains("unknown input 'age'", Assert.Throws<ArgumentException>(() => model.Forward(inputs)).Message);
        inputs.Remove("age");
        inputs.Remove("sex");
        Assert.Contains("input 'sex' is missing", Assert.Throws<ArgumentException>(() => model.Forward(inputs)).Message);
        Assert.Contains("has 2 inputs", Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(2, 1, 6, 6))).Message);
        var weights = model.GetWeights();
        weights["dense/kernal"] = weights["dense/kernel"];
        Assert.Contains("unknown weight 'dense/kernal'", Assert.Throws<ArgumentException>(() => model.SetWeights(weights)).Message);
        var wrongShape = Assert.Throws<ArgumentException>(() => new Sequential([4], [new Dense(2)]).Forward(Tensor.Zeros(2, 5)));
        Assert.Contains("input 0 has shape (2, 5), expected (batch, 4)", wrongShape.Message);
        var duplicate = Assert.Throws<ArgumentException>(() => new Sequential([4], [new Dense(2, "relu", name: "a"), new Dense(2, "relu", name: "a")]));
        Assert.Contains("named 'a'", duplicate.Message);
    }

    [Fact]
    public void UnnamedLayersGetKerasStyleNames()
    {
        var model = new Sequential([4], [new Dense(3), new Dropout(0.1), new Dense(2), new Dense(1)]);
        Assert.Equal(["dense", "dropout", "dense_1", "dense_2"], model.Layers.Select(l => l.Name));
        Assert.Equal("dense_2/kernel", model.Parameters[^2].Name);
    }

    [Fact]
    public void LsuvGivesEveryAffineOutputUnitVariance()
    {
        var model = new Sequential([20], [new Dense(30, "relu"), new Dense(30, "tanh"), new Dense(5)], seed: 4);
        var batch = Tensor.Zeros(64, 20);
        new RandomGenerator(5).FillNormal(batch.Span, 0, 3);
        var results = model.InitializeLsuv([batch], tolerance: 0.05, maxTrials: 20);
        Assert.Equal(3, results.Count);
        // Recompute each pre-activation output by hand from the weights, in double.
        double[] h = batch.ToArray().Select(v => (double)v).ToArray();
        int width = 20;
        foreach (var (layer, activation) in model.Layers.Cast<Dense>().Zip(new Func<double, double>[] { v => Math.Max(v, 0), Math.Tanh, v => v }))
        {
            var w = layer.Kernel.Value.ToArray();
            var b = layer.Bias!.Value.ToArray();
            int units = layer.Units;
            var z = new double[64 * units];
            for (int n = 0; n < 64; n++)
            for (int u = 0; u < units; u++)
            {
                double sum = b[u];
                for (int k = 0; k < width; k++) sum += h[n * width + k] * w[k * units + u];
                z[n * units + u] = sum;
            }
            double mean = z.Average(), variance = z.Average(v => (v - mean) * (v - mean));
            Assert.True(Math.Abs(variance - 1) < 0.05, $"{layer.Name}: output variance {variance} after LSUV");
            h = z.Select(activation).ToArray();
            width = units;
        }
    }
}
