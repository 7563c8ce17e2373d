using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// Maps the gradient of an op's output to the gradients of its inputs, in input order; an entry
/// may be null when that input does not require grad (skipping the work).
/// </summary>
public delegate Tensor?[] BackwardFunction(Tensor outputGradient);

/// <summary>One recorded op: its name (for error messages), its inputs and its backward function.</summary>
internal sealed record TapeNode(string Op, Tensor[] Inputs, BackwardFunction Backward);
