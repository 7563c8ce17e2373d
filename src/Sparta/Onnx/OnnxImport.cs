using Google.Protobuf;
using Sparta.Data.Preprocessing;
using Sparta.Models;
using Sparta.Serialization;
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
        try { return Read(path, fixedInputs); }
        catch (OnnxException e) { throw new OnnxException($"{path}: {e.Message}", e); }
    }

    /// <summary>
    /// The ONNX file as a <see cref="SavedModel"/> (no preprocessing of its own: the file's graph
    /// holds it): how <see cref="ModelLoader"/> opens ".onnx", so an ONNX file is a model wherever a
    /// model file is accepted. A problem is a <see cref="ModelFileException"/> naming the file.
    /// </summary>
    /// <remarks>An input the file takes as CSV columns (one per column, text one-hot encoded, as Sparta exports a model
    /// trained on a CSV file) is one model input, and its encoding is the saved preprocessing of that input, so
    /// <c>sparta predict model.onnx --inputs rows.csv</c> reads the file as the original model does.</remarks>
    public static SavedModel LoadSaved(string path)
    {
        try
        {
            var reader = Reader(path, null);
            var model = reader.Read(Path.GetFileNameWithoutExtension(path));
            var preprocessing = reader.Tabular.ToDictionary(t => t.Key, t => new PreprocessingPipeline([]) { Tabular = t.Value }, StringComparer.Ordinal);
            return new SavedModel(path, model, preprocessing);
        }
        catch (OnnxException e) { throw new ModelFileException(path, e.Message, e); }
    }

    private static Model Read(string path, IReadOnlyDictionary<string, Tensor>? fixedInputs) =>
        Reader(path, fixedInputs).Read(Path.GetFileNameWithoutExtension(path));

    private static OnnxGraphReader Reader(string path, IReadOnlyDictionary<string, Tensor>? fixedInputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new OnnxException("does not exist");
        Proto.ModelProto proto;
        try { proto = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new OnnxException($"is not an ONNX model ({e.Message})", e); }
        if (proto.Graph is null) throw new OnnxException("is not an ONNX model (it has no graph)");
        return new OnnxGraphReader(proto, fixedInputs);
    }
}
