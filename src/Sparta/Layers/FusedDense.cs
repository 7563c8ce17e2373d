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
        var y = Tensor.Uninitialized(x.Shape.With(-1, units));
        Gemm.Multiply(Transpose.No, kernelOp, rows, units, features, x.Span, kernel.Span, y.Span);
        BiasActivation.Forward(kind, alpha, rows, units, 1, y.Span, bias is null ? default : bias.Span, y.Span);

        bool biasGrad = bias is not null && bias.RequiresGrad;
        if (!Tape.IsRecording || !(x.RequiresGrad || kernel.RequiresGrad || biasGrad)) return y;
        var node = bias is null ? Node.Record(y, "dense", [x, kernel]) : Node.Record(y, "dense", [x, kernel, bias]);
        (node.Output, node.Kind, node.Alpha, node.KernelTransposed, node.Rows, node.Units, node.Features) =
            (y, kind, alpha, kernelTransposed, rows, units, features);
        return y;
    }

    /// <summary>
    /// The backward: dz = g·f'(y) with the bias gradient summed in the same pass, then dW = xᵀ·dz and dx = dz·Wᵀ,
    /// each only for an input requiring grad.
    /// </summary>
    private sealed class Node : RecycledNode<Node>
    {
        public Tensor Output = null!;
        public BiasActivationKind Kind;
        public float Alpha;
        public bool KernelTransposed;
        public int Rows, Units, Features;

        public override Tensor?[] Backward(Tensor g)
        {
            var (x, kernel) = (Inputs[0], Inputs[1]);
            var bias = Inputs.Length > 2 ? Inputs[2] : null;
            var dz = Tensor.Uninitialized(Output.Shape);
            var db = bias is not null && bias.RequiresGrad ? Tensor.Uninitialized(bias.Shape) : null;
            BiasActivation.Backward(Kind, Alpha, Rows, Units, 1, Output.Span, g.Span, dz.Span, db is null ? default : db.Span);
            var gradients = Gradients();
            if (x.RequiresGrad)
            {
                var dx = Tensor.Uninitialized(x.Shape);
                // dx = dz·Wᵀ for W (features, units); dz·W itself when W is stored as (units, features).
                Gemm.Multiply(Transpose.No, KernelTransposed ? Transpose.No : Transpose.Yes, Rows, Features, Units, dz.Span, kernel.Span, dx.Span);
                gradients[0] = dx;
            }
            if (kernel.RequiresGrad)
            {
                var dw = Tensor.Uninitialized(kernel.Shape);
                if (KernelTransposed) Gemm.Multiply(Transpose.Yes, Transpose.No, Units, Features, Rows, dz.Span, x.Span, dw.Span);
                else Gemm.Multiply(Transpose.Yes, Transpose.No, Features, Units, Rows, x.Span, dz.Span, dw.Span);
                gradients[1] = dw;
            }
            TensorPool.Recycle(dz);
            if (bias is not null) gradients[2] = db;
            return gradients;
        }

        protected override void Forget() => Output = null!;
    }
}
