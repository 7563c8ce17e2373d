using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// Reverse-mode automatic differentiation. Ops record a <see cref="TapeNode"/> on their output;
/// <see cref="Backward"/> walks the graph from the output in reverse topological order, sums the
/// gradients reaching each tensor, and adds the total into the leaves' <see cref="Tensor.Grad"/>.
/// </summary>
public static class Tape
{
    [ThreadStatic] private static int _noGradDepth;
    [ThreadStatic] private static bool _freeingGraph;

    /// <summary>Whether ops record themselves (false inside a <see cref="NoGrad"/> scope, and during Backward).</summary>
    public static bool IsRecording => _noGradDepth == 0;

    /// <summary>Stops recording until disposed, like torch.no_grad(): <c>using (Tape.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope();
    }

    public readonly struct NoGradScope : IDisposable
    {
        public void Dispose() => _noGradDepth--;
    }

    /// <summary>Whether an op on these inputs must record its backward function.</summary>
    public static bool ShouldRecord(Tensor x) => IsRecording && x.RequiresGrad;
    public static bool ShouldRecord(Tensor a, Tensor b) => IsRecording && (a.RequiresGrad || b.RequiresGrad);
    public static bool ShouldRecord(IEnumerable<Tensor> inputs) => IsRecording && inputs.Any(t => t.RequiresGrad);

    /// <summary>The same for a list, read by index: no enumerator is allocated.</summary>
    public static bool ShouldRecord(IReadOnlyList<Tensor> inputs)
    {
        if (!IsRecording) return false;
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i].RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches the op to its output, so Backward can pass gradients to its inputs.</summary>
    public static Tensor Record(Tensor output, string op, Tensor[] inputs, BackwardFunction backward)
    {
        output.Node = new ClosureNode(op, inputs, backward);
        return output;
    }

    /// <summary>
    /// Attaches the op to its output with its backward as a struct (<see cref="IBackward"/>) in a node kept per thread:
    /// an op recorded every training step allocates nothing for it after the first steps, as a closure would.
    /// </summary>
    internal static Tensor Record<TBackward>(Tensor output, string op, ReadOnlySpan<Tensor> inputs, in TBackward backward)
        where TBackward : struct, IBackward
    {
        BackwardNode<TBackward>.Record(output, op, inputs).Body = backward;
        return output;
    }

    /// <summary>
    /// Gives a buffer an op saved in its forward for its backward (max pooling's indices) back to the
    /// pool, when called from that backward in a pass that frees the graph: nothing can run the
    /// backward again.
    /// </summary>
    internal static void ReleaseSaved(Tensor saved)
    {
        if (_freeingGraph) TensorPool.Recycle(saved);
    }

    /// <summary>
    /// Backpropagates from <paramref name="output"/>. With <paramref name="retainGraph"/> false (PyTorch's
    /// default, the trainer's choice) every op is cut from the graph once its backward has run, so its
    /// saved tensors can be reclaimed while backward goes on, and the graph cannot be walked again;
    /// with a <see cref="TensorPool"/> in use, buffers go back to it at once (<see cref="BackwardBuffers"/>).
    /// </summary>
    public static void Backward(Tensor output, Tensor? outputGradient = null, bool retainGraph = true)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException($"backward: tensor of shape {output.Shape} does not require grad (no parameter reaches it, or it was computed under no-grad)");
        if (outputGradient is null)
        {
            if (output.Size != 1)
                throw new ArgumentException($"backward: output of shape {output.Shape} is not a scalar; pass its gradient");
        }
        else if (outputGradient.Shape != output.Shape)
            throw new ArgumentException($"backward: gradient of shape {outputGradient.Shape} does not match output shape {output.Shape}");

        using var _ = NoGrad();
        bool wasFreeing = _freeingGraph;
        _freeingGraph = !retainGraph;
        var scratch = WalkScratch.Take();
        try { Walk(output, outputGradient, retainGraph, scratch); }
        finally
        {
            _freeingGraph = wasFreeing;
            scratch.GiveBack();
        }
    }

    private static void Walk(Tensor output, Tensor? outputGradient, bool retainGraph, WalkScratch scratch)
    {
        var buffers = scratch.Buffers;
        buffers.Begin(output, retainGraph);
        // Made once the walk began, the 1 a scalar output starts from is the walk's own, like the gradients.
        outputGradient ??= Tensor.Full(1f, output.Shape);
        // Gradients of non-leaf tensors live only here, so the graph may be walked again later.
        var pending = scratch.Pending;
        pending[output] = outputGradient;
        buffers.Hold(outputGradient);
        var order = TopologicalOrder(output, scratch);
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var tensor = order[i];
            if (!retainGraph) order[i] = null!;
            if (!pending.Remove(tensor, out var gradient))
            {
                // No gradient reached it (an output a loss bypassed, see Ops.Bypassing): its op has nothing to pass
                // on, and every op reading it came earlier in the walk, so it goes back as a spent output does.
                if (!retainGraph && tensor.Node is { } unreached)
                {
                    tensor.Node = null;
                    unreached.Release();
                    buffers.ReleaseOutput(tensor);
                }
                continue;
            }
            buffers.Drop(gradient);
            if (tensor.Node is null)
            {
                // A leaf adds into its gradient. Its first is made outside any pool (a parameter's gradient lives as
                // long as the parameter: a pool's block or object it kept would leave the next step short of one) and
                // cleared as ZeroGrad clears it before every later step, so the first step runs the passes (and makes
                // the split objects, on threads) of the later ones.
                if (tensor.Grad is null)
                {
                    using (TensorPool.Aside()) tensor.Grad = Tensor.Uninitialized(tensor.Shape);
                    tensor.ZeroGrad();
                }
                TensorMath.Add(tensor.Grad, gradient, tensor.Grad);
                buffers.ReleaseGradient(gradient);
                continue;
            }
            var node = tensor.Node;
            var inputGradients = node.Backward(gradient);
            // Every consumer of this tensor came earlier in the walk, so no later step needs its node.
            if (!retainGraph) tensor.Node = null;
            var spent = scratch.Spent;
            spent.Clear();
            spent.Add(gradient);
            for (int j = 0; j < node.Inputs.Length; j++)
            {
                var input = node.Inputs[j];
                var g = inputGradients[j];
                if (g is null || !input.RequiresGrad) continue;
                if (g.Shape != input.Shape)
                    throw new InvalidOperationException($"{node.Op} backward: gradient of shape {g.Shape} for input {j} of shape {input.Shape}");
                if (!pending.TryGetValue(input, out var sum))
                {
                    pending[input] = g;
                    buffers.Hold(g);
                }
                else if (buffers.CanAccumulateInto(sum))
                {
                    // A tensor feeding several ops (an Inception block's input) sums its gradients in one buffer.
                    TensorMath.Add(sum, g, sum);
                    spent.Add(g);
                }
                else
                {
                    pending[input] = TensorMath.Add(sum, g);
                    buffers.Drop(sum);
                    buffers.Hold(pending[input]);
                    spent.Add(sum);
                    spent.Add(g);
                }
            }
            // Only now: a gradient passed on as is (or as a view) is pending again and stays.
            foreach (var done in spent) buffers.ReleaseGradient(done);
            if (!retainGraph)
            {
                node.Release();
                buffers.ReleaseOutput(tensor);
            }
        }
    }

    /// <summary>Every tensor requiring grad that <paramref name="output"/> depends on, inputs before the ops that use them.</summary>
    private static List<Tensor> TopologicalOrder(Tensor output, WalkScratch scratch)
    {
        var order = scratch.Order;
        var visited = scratch.Visited;
        // Iterative depth-first search: deep graphs (long unrolled loops) must not overflow the stack.
        var stack = scratch.Stack;
        stack.Push((output, false));
        while (stack.Count > 0)
        {
            var (tensor, expanded) = stack.Pop();
            if (expanded) { order.Add(tensor); continue; }
            if (!visited.Add(tensor)) continue;
            stack.Push((tensor, true));
            foreach (var input in tensor.Node?.Inputs ?? [])
                if (input.RequiresGrad && !visited.Contains(input)) stack.Push((input, false));
        }
        return order;
    }
}
