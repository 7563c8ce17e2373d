using System.Diagnostics;
using Sparta.Autograd;
using Sparta.Data.Loaders;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Onnx;

/// <summary>PyTorch 1.13's exports (Debian's python3-torch and python3-torchvision), exported once for the class.</summary>
public class TorchExports : IDisposable
{
    public TorchExports() : this([])
    {
    }

    /// <summary>Exports the models of torch_models.py named by <paramref name="models"/>, or every one when none is named.</summary>
    protected TorchExports(params string[] models)
    {
        string script = Path.Combine(RepositoryRoot.Path, "tests", "Sparta.Tests", "Onnx", "torch_models.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { script, _directory.Path }, RedirectStandardError = true };
        foreach (string model in models) start.ArgumentList.Add(model);
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"torch_models.py failed: {error}");
    }

    private readonly TempDirectory _directory = new();

    public string Model(string name) => _directory.File($"{name}.onnx");

    public Tensor[] Inputs(string name) => Directory.GetFiles(_directory.Path, $"{name}.input*.npy").Order(StringComparer.Ordinal).Select(NpyFile.Read).ToArray();

    public Tensor Output(string name) => NpyFile.Read(_directory.File($"{name}.output.npy"));

    /// <summary>One output of a model returning a tuple (<c>OUTPUT_NAMES</c> in the script).</summary>
    public Tensor Output(string name, string output) => NpyFile.Read(_directory.File($"{name}.output_{output}.npy"));

    /// <summary>The inputs PyTorch ran at another batch size than the exported one (<c>OTHER_BATCHES</c> in the script).</summary>
    public Tensor[] Inputs(string name, int batch) => Inputs($"{name}.b{batch}");

    public Tensor Output(string name, int batch) => Output($"{name}.b{batch}");

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Models exported by PyTorch import into Sparta and give PyTorch's outputs; their weights train.</summary>
public sealed class TorchImportTests(TorchExports exports) : IClassFixture<TorchExports>
{
    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("two_inputs")]
    [InlineData("resnet18")]
    public void ImportedModelGivesPyTorchsOutputs(string name)
    {
        var model = OnnxImport.Load(exports.Model(name));
        var actual = model.Forward(exports.Inputs(name));
        OnnxRuntimeOracle.AssertClose(exports.Output(name), actual, name, relative: 1e-4);
    }

    [Theory]
    [InlineData("batch_views", 1)]
    [InlineData("batch_views", 5)]
    [InlineData("resnet18", 3)]
    public void AReshapeBuiltFromTheInputsShapeFollowsTheBatch(string name, int batch)
    {
        // Exported at batch 2: x.view(x.size(0), -1) is Shape, Gather, Unsqueeze, Concat, Reshape in the file.
        var model = OnnxImport.Load(exports.Model(name));
        OnnxRuntimeOracle.AssertClose(exports.Output(name, batch), model.Forward(exports.Inputs(name, batch)), $"{name} at batch {batch}", relative: 1e-4);
        OnnxRuntimeOracle.AssertClose(exports.Output(name), model.Forward(exports.Inputs(name)), $"{name} at the exported batch", relative: 1e-4);
    }

    [Fact]
    public void AReshapeThatFollowsTheBatchSavesLoadsAndExportsBack()
    {
        var model = OnnxImport.Load(exports.Model("batch_views"));
        var x = exports.Inputs("batch_views", 5)[0];
        using var directory = new TempDirectory();
        string saved = directory.File("views.sparta"), exported = directory.File("views.onnx");
        ModelFile.Save(saved, model);
        OnnxRuntimeOracle.AssertClose(exports.Output("batch_views", 5), ModelFile.Load(saved).Model.Forward(x), "loaded", relative: 1e-4);
        model.ExportOnnx(exported);
        OnnxChecker.AssertValid(exported);
        OnnxRuntimeOracle.AssertClose(exports.Output("batch_views", 5), OnnxRuntimeOracle.Run(exported, new Dictionary<string, Tensor> { ["input0"] = x }), "exported", relative: 1e-4);
    }

    [Fact]
    public void AModelReturningATupleImportsWithBothOutputsAndExportsBack()
    {
        var model = OnnxImport.Load(exports.Model("two_outputs"));
        Assert.Equal(["class", "box"], model.OutputNames);
        var x = exports.Inputs("two_outputs");
        var outputs = model.ForwardOutputs(x);
        OnnxRuntimeOracle.AssertClose(exports.Output("two_outputs", "class"), outputs[0], "class", relative: 1e-4);
        OnnxRuntimeOracle.AssertClose(exports.Output("two_outputs", "box"), outputs[1], "box", relative: 1e-4);

        using var directory = new TempDirectory();
        string saved = directory.File("two.sparta"), exported = directory.File("two.onnx");
        ModelFile.Save(saved, model);
        var loaded = ModelFile.Load(saved).Model;
        Assert.Equal(["class", "box"], loaded.OutputNames);
        Assert.Equal(outputs[1].ToArray(), loaded.ForwardOutputs(x)[1].ToArray());
        model.ExportOnnx(exported);
        OnnxChecker.AssertValid(exported);
        var runtime = OnnxRuntimeOracle.RunOutputs(exported, new Dictionary<string, Tensor> { ["input0"] = x[0] });
        Assert.Equal(["class", "box"], runtime.Select(r => r.Key));
        OnnxRuntimeOracle.AssertClose(outputs[0], runtime[0].Value, "class from ONNX Runtime");
        OnnxRuntimeOracle.AssertClose(outputs[1], runtime[1].Value, "box from ONNX Runtime");
        Assert.Contains("has 2 outputs (class, box)", Assert.Throws<InvalidOperationException>(() => model.Forward(x)).Message);
    }

    [Fact]
    public void AMatMulAddingABiasImportsAsOneGemmAndExportsBackAsOne()
    {
        var model = OnnxImport.Load(exports.Model("matmul_add"));
        var ops = model.Layers.OfType<OnnxNode>().Select(n => n.OpType).ToArray();
        Assert.Equal(["Gemm", "Relu", "MatMul"], ops); // the last MatMul adds nothing: it stays
        var x = exports.Inputs("matmul_add");
        OnnxRuntimeOracle.AssertClose(exports.Output("matmul_add"), model.Forward(x), "matmul_add", relative: 1e-4);
        using var directory = new TempDirectory();
        string exported = directory.File("dense.onnx");
        model.ExportOnnx(exported);
        OnnxChecker.AssertValid(exported);
        OnnxRuntimeOracle.AssertClose(exports.Output("matmul_add"), OnnxRuntimeOracle.Run(exported, new Dictionary<string, Tensor> { ["input0"] = x[0] }), "exported", relative: 1e-4);
    }

    [Fact]
    public void ResNet18KeepsEveryWeightAsAParameterAndTheRunningStatisticsAsState()
    {
        var model = OnnxImport.Load(exports.Model("resnet18"));
        // torchvision's ResNet-18 has 11,689,512 parameters. PyTorch's exporter folds each of its 20 batch
        // norms into the convolution before it: their 4,800 γ and 4,800 β become 4,800 convolution biases.
        Assert.Equal(11_689_512 - 4_800, model.TrainableParameterCount);
        Assert.Equal(0, model.NonTrainableParameterCount);
        var cnn = OnnxImport.Load(exports.Model("cnn"));
        Assert.Equal(2 * 32, cnn.NonTrainableParameterCount); // BatchNorm1d(32) kept as a node: running mean and variance
    }

    [Fact]
    public void ImportedWeightsTrainAndTheModelSavesAndLoadsAsASpartaFile()
    {
        var model = OnnxImport.Load(exports.Model("cnn"));
        var x = exports.Inputs("cnn")[0];
        var target = Tensor.Zeros(x.Shape[0], 10);
        Tensor Loss()
        {
            var error = model.Forward(x, training: true) - target;
            return (error * error).Mean();
        }
        var before = Loss();
        before.Backward();
        Assert.All(model.TrainableParameters, p => Assert.True(p.Value.Grad is not null, $"{p.Name} received no gradient"));
        foreach (var p in model.TrainableParameters)
            TensorMath.Subtract(p.Value, TensorMath.Multiply(p.Value.Grad!, 0.05f), p.Value);
        float after;
        using (Tape.NoGrad()) after = Loss().Item();
        Assert.True(after < before.Item(), $"loss {before.Item()} before the step, {after} after");

        using var directory = new TempDirectory();
        string path = directory.File("cnn.sparta");
        ModelFile.Save(path, model);
        var loaded = ModelFile.Load(path).Model;
        Assert.Equal(model.Forward(x).ToArray(), loaded.Forward(x).ToArray());
    }

    /// <summary>
    /// The user's path through the command line: PyTorch's CNN as model.from in an experiment on Fashion-MNIST (the
    /// set's input 'image' feeds the file's 'input0'), cut after its Flatten, frozen, a new head trained on images the
    /// experiment's preprocessing scales; the run's model keeps the imported weights as they were, exports to ONNX
    /// (onnx.checker accepts it) and ONNX Runtime gives its predictions on raw images.
    /// </summary>
    [Fact]
    public void APyTorchModelIsCutFrozenAndFineTunedFromAnExperimentFileThenExported()
    {
        using var directory = new TempDirectory();
        string file = directory.File("fine-tune.yaml");
        File.WriteAllText(file, $"""
            name: torch-cnn-fine-tune
            seed: 0
            epochs: 2
            data:
              dataset: fashion-mnist
              train_samples: 2000
              test_samples: 500
              preprocessing: [{"{"}name: min_max, scope: all{"}"}]
            model:
              from: {exports.Model("cnn")}
              cut_after: 8_Flatten
              freeze: true
              layers: [{"{"}name: dense, units: 10{"}"}]
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {"{"}name: adam, learning_rate: 0.01{"}"}
            """);
        var (code, output, error) = Lifecycle.LifecycleFiles.Command("train", file, "--out", directory.File("run"), "--quiet");
        Assert.True(code == 0, error);
        string result = output.Split('\n').Single(l => l.StartsWith("result", StringComparison.Ordinal));
        double accuracy = double.Parse(result.Split(' ').Single(p => p.StartsWith("test_accuracy=", StringComparison.Ordinal)).Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.4, result);   // ten classes: chance is 0.1; a linear head on the frozen random features

        var saved = ModelLoader.Load(directory.File("run/model.sparta"));
        Assert.Equal(["input0"], saved.Model.InputNames);
        Assert.Equal(["input0"], saved.Preprocessing.Keys);
        var imported = OnnxImport.Load(exports.Model("cnn")).GetWeights();
        var tuned = saved.Model.GetWeights();
        Assert.True(tuned.Keys.Count(imported.ContainsKey) >= 4, string.Join(", ", tuned.Keys));   // both convolutions' kernels and biases
        foreach (var (name, value) in tuned.Where(w => imported.ContainsKey(w.Key)))
            Assert.True(value.Span.SequenceEqual(imported[name].Span), $"frozen weight '{name}' moved");
        Assert.Equal(144 * 10 + 10, saved.Model.TrainableParameterCount);

        string onnx = directory.File("tuned.onnx");
        (code, _, error) = Lifecycle.LifecycleFiles.Command("export", directory.File("run"), "--onnx", onnx);
        Assert.True(code == 0, error);
        OnnxChecker.AssertValid(onnx);
        var raw = global::Sparta.Data.DatasetRegistry.Load("fashion-mnist", "test").Subset(Enumerable.Range(0, 64).ToArray()).Input("image");
        var expected = global::Sparta.Experiments.ModelPrediction.Predict(saved, new Dictionary<string, Tensor> { [""] = raw });
        OnnxRuntimeOracle.AssertClose(expected, OnnxRuntimeOracle.Run(onnx, new Dictionary<string, Tensor> { ["input0"] = raw }), "fine-tuned");
    }

    [Fact]
    public void AnImportedModelExportsBackAndOnnxRuntimeAgrees()
    {
        var model = OnnxImport.Load(exports.Model("cnn"));
        using var directory = new TempDirectory();
        string path = directory.File("again.onnx");
        model.ExportOnnx(path);
        OnnxChecker.AssertValid(path);
        var x = exports.Inputs("cnn")[0];
        OnnxRuntimeOracle.AssertClose(model.Forward(x), OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["input0"] = x }), "cnn");
    }
}
