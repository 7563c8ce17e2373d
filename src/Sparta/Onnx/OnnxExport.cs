using Google.Protobuf;
using Sparta.Data.Preprocessing;
using Sparta.Models;
using Sparta.Serialization;
using Sparta.Tensors;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Writes a model as an ONNX file of standard operators: the saved preprocessing of each input as
/// the first nodes (a CSV input's text columns encoded by ai.onnx.ml operators), then every layer call in run order, the batch a dynamic dimension ("batch");
/// the output is named "output", or each of several outputs after its layer.
/// The weights are stored in the file; dropout is left out (inference).
/// </summary>
public static class OnnxExport
{
    public const int DefaultOpset = 13;
    /// <summary>The opsets written: the reductions take their axes as an attribute up to 17.</summary>
    public const int MinOpset = 13, MaxOpset = 17;

    /// <summary>Writes the ONNX file atomically; a layer or step with no ONNX form is an <see cref="OnnxException"/> naming it, and nothing is written.</summary>
    /// <remarks>Without an opset, <see cref="DefaultOpset"/>, or the opset an imported model's operators were read at.</remarks>
    /// <returns>The file's inputs, in order: the model's, or, for a CSV input with text columns, one per column.</returns>
    public static IReadOnlyList<string> Save(Model model, string path, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing = null, int? opset = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var proto = ToProto(model, preprocessing, opset);
        AtomicText.WriteBytes(path, proto.ToByteArray());
        return proto.Graph.Input.Select(i => i.Name).ToArray();
    }

    internal static Proto.ModelProto ToProto(Model model, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing, int? requestedOpset)
    {
        int opset = requestedOpset ?? model.Layers.OfType<OnnxNode>().Select(n => n.Opset).Append(DefaultOpset).Max();
        if (opset < MinOpset || opset > MaxOpset)
            throw new OnnxException($"onnx export: opset must be between {MinOpset} and {MaxOpset}, got {opset}");
        foreach (string input in preprocessing?.Keys ?? [])
            if (!model.InputNames.Contains(input))
                throw new OnnxException($"onnx export: preprocessing for '{input}', which is not an input of model '{model.Name}'");
        var graph = new OnnxGraphWriter(opset);
        var graphModel = model.Graph;
        // The outputs' names are taken first so no layer's value takes them: "output" for one, each output's name for several.
        var outputs = (model.OutputNames.Count == 1 ? ["output"] : model.OutputNames.Select(n => n.Replace(':', '_'))).Select(graph.Unique).ToArray();
        var values = new string[graphModel.Shapes.Count];
        // The inputs' names come next, so the columns of a CSV input, which become inputs too, cannot take them.
        var inputNames = graphModel.InputNames.Select(graph.Unique).ToArray();
        for (int i = 0; i < graphModel.InputNames.Count; i++)
        {
            string name = graphModel.InputNames[i];
            var pipeline = preprocessing?.GetValueOrDefault(name);
            // A CSV input with text columns takes the columns themselves; one of numbers only stays one matrix.
            string raw = pipeline?.Tabular is { Categorical.Count: > 0 } tabular ? OnnxTabularExport.Write(graph, tabular, inputNames[i])
                : graph.AddInputNamed(inputNames[i], pipeline?.SampleShape ?? graphModel.Shapes[i]);
            values[i] = pipeline is null || pipeline.Steps.Count == 0 ? raw : OnnxPreprocessingExport.Write(graph, pipeline, raw, name);
        }
        foreach (var step in graphModel.Steps)
            values[step.Output] = OnnxLayerExport.Write(graph, step.Layer, step.Inputs.Select(i => values[i]).ToArray(),
                step.Inputs.Select(i => graphModel.Shapes[i]).ToArray());
        for (int o = 0; o < outputs.Length; o++)
            graph.AddOutput(graph.NodeInto(outputs[o], "Identity", [values[graphModel.OutputSlots[o]]]), model.OutputShapes[o]);
        graph.Graph.Name = model.Name;

        var proto = new Proto.ModelProto
        {
            IrVersion = 8,
            ProducerName = "sparta",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph.Graph,
        };
        proto.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = "", Version = opset });
        if (graph.Graph.Node.Any(n => n.Domain == OnnxTabularExport.MlDomain))
            proto.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = OnnxTabularExport.MlDomain, Version = OnnxTabularExport.MlOpset });
        return proto;
    }
}
