namespace Sparta.Tensors;

/// <summary>
/// How a sliding window (convolution or pooling) treats the border, with Keras/TensorFlow's rules:
/// 'valid' uses only whole windows inside the input; 'same' gives ceil(size / stride) outputs and
/// splits the zero border evenly, the odd extra cell going after (bottom/right).
/// </summary>
public enum ConvPadding
{
    Valid,
    Same,
}
