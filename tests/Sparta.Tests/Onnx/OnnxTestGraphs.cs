using Google.Protobuf;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>One-node ONNX files written by the tests, for ONNX Runtime and the importer to run side by side.</summary>
internal static class OnnxTestGraphs
{
    /// <summary>A tensor value of the graph, with its element type and, when given, its shape.</summary>
    public static Proto.ValueInfoProto Value(string name, Proto.TensorProto.Types.DataType elementType = Proto.TensorProto.Types.DataType.Float, params long[] dims)
    {
        var type = new Proto.TypeProto.Types.Tensor { ElemType = (int)elementType };
        if (dims.Length > 0)
        {
            type.Shape = new Proto.TensorShapeProto();
            foreach (long d in dims) type.Shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new Proto.ValueInfoProto { Name = name, Type = new Proto.TypeProto { TensorType = type } };
    }

    /// <summary>Writes a model of <paramref name="graph"/> at <paramref name="opset"/> of the default domain.</summary>
    public static void Save(string path, Proto.GraphProto graph, int opset)
    {
        var model = new Proto.ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = "", Version = opset });
        File.WriteAllBytes(path, model.ToByteArray());
    }
}
