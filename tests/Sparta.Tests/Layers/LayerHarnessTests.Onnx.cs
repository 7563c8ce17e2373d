using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Onnx;

namespace Sparta.Tests.Layers;

public partial class LayerHarnessTests
{
    /// <summary>Each layer exported alone (with its random weights and running statistics) gives ONNX Runtime Sparta's inference output.</summary>
    [Theory, MemberData(nameof(Names))]
    public void ExportedLayerMatchesOnnxRuntime(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        var random = new RandomGenerator(13);
        foreach (var state in layer.State) random.FillUniform(state.Value.Span, 0.5, 1.5);
        var inputs = c.Inputs.Select((s, i) => Model.Input(s[1..], $"x{i}")).ToArray();
        var model = new Model(inputs, layer.Call(inputs), name);
        var values = Inputs(c, 14).Select(ToTensor).ToArray();
        var expected = model.Forward(values);

        using var directory = new TempDirectory();
        string path = directory.File("layer.onnx");
        model.ExportOnnx(path);
        var actual = OnnxRuntimeOracle.Run(path, inputs.Select((s, i) => (s.InputName!, values[i])).ToDictionary(p => p.Item1, p => p.Item2));
        OnnxRuntimeOracle.AssertClose(expected, actual, name);
        // A pooling layer's file imports back to the same outputs (a dilated max pool's borders are a Pad of −∞).
        if (layer is Pooling2D) OnnxRuntimeOracle.AssertClose(actual, global::Sparta.Onnx.OnnxImport.Load(path).Forward(values), name + ", imported back");
    }
}
