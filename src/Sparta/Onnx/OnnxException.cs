namespace Sparta.Onnx;

/// <summary>A model or file ONNX cannot carry (a layer with no ONNX form, an unsupported operator, a malformed file): one line saying which.</summary>
public sealed class OnnxException : IOException
{
    public OnnxException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
