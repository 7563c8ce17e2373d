using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// Fan-in and fan-out of a weight shape: a dense kernel is [in, out]; a convolution kernel is
/// [out_channels, in_channels, kh, kw, ...], whose fans multiply the channels by the receptive
/// field kh·kw·...; a vector (bias) counts its length for both.
/// </summary>
public readonly record struct Fans(int In, int Out)
{
    public double Average => (In + Out) / 2.0;

    public static Fans Of(Shape shape)
    {
        switch (shape.Rank)
        {
            case 0: return new Fans(1, 1);
            case 1: return new Fans(shape[0], shape[0]);
            case 2: return new Fans(shape[0], shape[1]);
            default:
                int receptiveField = shape.SizeFrom(2);
                return new Fans(shape[1] * receptiveField, shape[0] * receptiveField);
        }
    }
}
