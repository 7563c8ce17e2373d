using Google.Protobuf;
using Sparta.Onnx;
using Sparta.Tests.Data;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>Files Sparta cannot import are refused in one line naming the file and the operator, node or input at fault.</summary>
public sealed class OnnxImportErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Write(string opType, string node = "the_node", string? dimParam = null)
    {
        var graph = new Proto.GraphProto { Name = "g" };
        var shape = new Proto.TensorShapeProto();
        shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(dimParam is null ? new Proto.TensorShapeProto.Types.Dimension { DimValue = 3 } : new Proto.TensorShapeProto.Types.Dimension { DimParam = dimParam });
        var type = new Proto.TypeProto { TensorType = new Proto.TypeProto.Types.Tensor { ElemType = 1, Shape = shape } };
        graph.Input.Add(new Proto.ValueInfoProto { Name = "x", Type = type });
        graph.Output.Add(new Proto.ValueInfoProto { Name = "y", Type = type });
        graph.Node.Add(new Proto.NodeProto { OpType = opType, Name = node, Input = { "x" }, Output = { "y" } });
        var model = new Proto.ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Version = 13 });
        string path = _directory.File($"{opType}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void AnUnsupportedOperatorIsNamedWithItsNode()
    {
        string path = Write("Hardmax");
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.Equal($"{path}: operator 'Hardmax' (node 'the_node') is not supported", error.Message);
    }

    [Fact]
    public void ASupportedOperatorImportsFromTheSameHandWrittenGraph()
    {
        var model = OnnxImport.Load(Write("Relu"));
        var y = model.Forward(Sparta.Tensors.Tensor.FromArray([-1f, 0f, 2f, -3f, 4f, 5f], 2, 3));
        Assert.Equal([0f, 0f, 2f, 0f, 4f, 5f], y.ToArray());
    }

    [Fact]
    public void ADynamicAxisOtherThanTheBatchIsNamed()
    {
        string path = Write("Relu", dimParam: "features");
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.Equal($"{path}: input 'x' has a dynamic axis 1 ('features'); only the batch axis may be dynamic", error.Message);
    }

    [Fact]
    public void AFileThatIsNotOnnxIsNamed()
    {
        string path = _directory.File("text.onnx");
        File.WriteAllText(path, "name: not a model\n");
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.StartsWith($"{path}: is not an ONNX model", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
