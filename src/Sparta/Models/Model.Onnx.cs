using Sparta.Data.Preprocessing;
using Sparta.Onnx;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>The planned graph, for writers that walk it (ONNX export).</summary>
    internal ModelGraph Graph => _graph;

    /// <summary>
    /// Writes the model as an ONNX file (opset 13 unless given, or the opset an imported model was read at), with each input's fitted preprocessing
    /// as its first nodes when given, so the file takes the raw samples <c>sparta predict</c> takes.
    /// </summary>
    public void ExportOnnx(string path, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing = null, int? opset = null) =>
        OnnxExport.Save(this, path, preprocessing, opset);
}
