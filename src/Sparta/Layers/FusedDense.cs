using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// The dense layer as one op: y = f(x·W + b) with one GEMM and one fused bias+activation pass, and
/// its backward beside it: dz = g·f'(y) with the bias gradient summed in the same pass, then
/// dW = xᵀ·dz and dx = dz·Wᵀ, each computed only when that input requires grad (the first layer's
/// input never does). Inputs of rank &gt; 2 apply W to the last axis. A kernel stored transposed,
/// (units, features) as PyTorch's Linear and ONNX's Gemm with transB keep it, is read so by the GEMM.
/// </summary>
internal static class FusedDense
{
    public static Tensor Apply(Tensor x, Tensor kernel, Tensor? bias, BiasActivationKind kind, float alpha, bool kernelTransposed = false)
    {
        if (kernel.Rank != 2) throw new ArgumentException($"dense: the kernel must be a matrix, got shape {kernel.Shape}");
        var (features, units) = kernelTransposed ? (kernel.Shape[1], kernel.Shape[0]) : (kernel.Shape[0], kernel.Shape[1]);
        var kernelOp = kernelTransposed ? Transpose.Yes : Transpose.No;
        if (x.Rank < 2 || x.Shape[-1] != features)
            throw new ArgumentException($"dense: input of shape {x.Shape} does not end in the kernel's {features} input features");
        int rows = x.Size / features;
        var outputDims = x.Shape.ToArray();
        outputDims[^1] = units;
        var y = Tensor.Uninitialized(new Shape(outputDims));
        Gemm.Multiply(Transpose.No, kernelOp, rows, units, features, x.Span, kernel.Span, y.Span);
        BiasActivation.Forward(kind, alpha, rows, units, 1, y.Span, bias is null ? default : bias.Span, y.Span);

        bool biasGrad = bias is not null && bias.RequiresGrad;
        if (!Tape.IsRecording || !(x.RequiresGrad || kernel.RequiresGrad || biasGrad)) return y;
        Tensor[] inputs = bias is null ? [x, kernel] : [x, kernel, bias];
        return Tape.Record(y, "dense", inputs, g =>
        {
            var dz = Tensor.Uninitialized(y.Shape);
            var db = biasGrad ? Tensor.Uninitialized(bias!.Shape) : null;
            BiasActivation.Backward(kind, alpha, rows, units, 1, y.Span, g.Span, dz.Span, db is null ? default : db.Span);
            Tensor? dx = null, dw = null;
            if (x.RequiresGrad)
            {
                dx = Tensor.Uninitialized(x.Shape);
                // dx = dz·Wᵀ for W (features, units); dz·W itself when W is stored as (units, features).
                Gemm.Multiply(Transpose.No, kernelTransposed ? Transpose.No : Transpose.Yes, rows, features, units, dz.Span, kernel.Span, dx.Span);
            }
            if (kernel.RequiresGrad)
            {
                dw = Tensor.Uninitialized(kernel.Shape);
                if (kernelTransposed) Gemm.Multiply(Transpose.Yes, Transpose.No, units, features, rows, dz.Span, x.Span, dw.Span);
                else Gemm.Multiply(Transpose.Yes, Transpose.No, features, units, rows, x.Span, dz.Span, dw.Span);
            }
            TensorPool.Recycle(dz);
            return bias is null ? [dx, dw] : [dx, dw, db];
        });
    }
}
