using Google.Protobuf;
using Sparta.Autograd;
using Sparta.Models;
using Sparta.Tensors;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Reads an ONNX file into a Sparta <see cref="Model"/>: each operator becomes an
/// <see cref="OnnxNode"/> layer and each float initializer it reads a trainable parameter of that
/// layer (batch normalization's running statistics stay non-trainable state), so the network can be
/// cut, frozen and fine-tuned like one built in Sparta. The first axis of every graph input is the
/// batch. Nodes that read only constants are computed once here (shape arithmetic), and so are the
/// shapes themselves, at the batch the file declares (1 where it is dynamic).
/// </summary>
public static class OnnxImport
{
    /// <summary>
    /// Reads <paramref name="path"/>. <paramref name="fixedInputs"/> gives values for graph inputs
    /// that are not data (an integer shape or axes fed as an input): they become constants.
    /// Any problem is an <see cref="OnnxException"/> naming the file and the operator, node or input at fault.
    /// </summary>
    public static Model Load(string path, IReadOnlyDictionary<string, Tensor>? fixedInputs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new OnnxException($"{path}: does not exist");
        Proto.ModelProto proto;
        try { proto = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new OnnxException($"{path}: is not an ONNX model ({e.Message})", e); }
        if (proto.Graph is null) throw new OnnxException($"{path}: is not an ONNX model (it has no graph)");
        try { return new OnnxGraphReader(proto, fixedInputs).Read(Path.GetFileNameWithoutExtension(path)); }
        catch (OnnxException e) { throw new OnnxException($"{path}: {e.Message}", e); }
    }

    /// <summary>Whether the file starts like an ONNX model rather than a Sparta zip (for loaders that dispatch on content).</summary>
    public static bool IsOnnxFile(string path) => string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase);
}
