using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Activations;

/// <summary>
/// Maxout (Goodfellow et al. 2013): the maximum of k affine maps. Its host (Dense, Conv2D) computes
/// k·units features; each output feature is the largest of k consecutive ones along the channel axis.
/// </summary>
public sealed class Maxout : Activation
{
    public Maxout(int pieces = 2) => Pieces = Check.AtLeast(pieces, 2, "pieces", "activation 'maxout'");

    public override int Pieces { get; }
    public override string Name => "maxout";

    public override Shape OutputShape(Shape inputShape)
    {
        if (inputShape.Rank == 0 || inputShape[0] % Pieces != 0)
            throw new ArgumentException($"activation 'maxout': {Pieces} pieces need a channel count divisible by {Pieces}, got input shape {inputShape}");
        var dims = inputShape.ToArray();
        dims[0] /= Pieces;
        return new Shape(dims);
    }

    public override Tensor Apply(Tensor x)
    {
        int batch = x.Shape[0], channels = x.Shape[1] / Pieces, rest = x.Shape.SizeFrom(2);
        var output = OutputShape(new Shape(x.Shape.Dims[1..].ToArray()));
        var grouped = x.Reshape(batch, channels, Pieces, rest).Max(2);
        return grouped.Reshape([batch, .. output.ToArray()]);
    }

    public override ComponentConfig GetConfig() => new(Name, [new("pieces", Pieces)]);
}
