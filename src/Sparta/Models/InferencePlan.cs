using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// A model's forward pass in inference mode, for calling again and again (serving, batched
/// prediction): no tape, and every buffer the layers create kept from one call to the next (a
/// <see cref="TensorArena"/>), so after the first call at a batch size a call allocates only its
/// result. A call at another batch size plans again. The results equal <see cref="Model.Forward(IReadOnlyList{Tensor}, bool)"/>'s
/// bit for bit. One plan serves one thread at a time.
/// </summary>
public sealed class InferencePlan
{
    private readonly TensorArena _arena = new();

    public InferencePlan(Model model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
    }

    public Model Model { get; }

    /// <summary>Floats held between calls (every intermediate of the last call).</summary>
    public long BufferLength => _arena.Length;

    /// <summary>The model's output for one tensor per input (in <see cref="Models.Model.InputNames"/> order), in a new tensor.</summary>
    public Tensor Run(IReadOnlyList<Tensor> inputs)
    {
        Tensor? result = null;
        Run(inputs, output =>
        {
            result = Tensor.Uninitialized(output.Shape);
            output.Span.CopyTo(result.Span);
        });
        return result!;
    }

    /// <summary>
    /// Runs the model and hands its output to <paramref name="consume"/>, which must copy what it keeps:
    /// the output's storage is reused by the next call.
    /// </summary>
    public void Run(IReadOnlyList<Tensor> inputs, Action<Tensor> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        if (Model.OutputNames.Count != 1) Model.Forward(inputs); // names the outputs in the error
        RunOutputs(inputs, outputs => consume(outputs[0]));
    }

    /// <summary>
    /// Runs the model and hands every output (in <see cref="Models.Model.OutputNames"/> order) to
    /// <paramref name="consume"/>, which must copy what it keeps: their storage is reused by the next call.
    /// </summary>
    public void RunOutputs(IReadOnlyList<Tensor> inputs, Action<IReadOnlyList<Tensor>> consume) => RunOutputs(inputs, consume, null);

    /// <summary><see cref="RunOutputs(IReadOnlyList{Tensor}, Action{IReadOnlyList{Tensor}})"/>, timing each step (see <see cref="Model.ForwardOutputs(IReadOnlyList{Tensor}, bool, long[])"/>).</summary>
    internal void RunOutputs(IReadOnlyList<Tensor> inputs, Action<IReadOnlyList<Tensor>> consume, long[]? stamps)
    {
        ArgumentNullException.ThrowIfNull(consume);
        IReadOnlyList<Tensor> outputs;
        using (Tape.NoGrad())
        using (_arena.Use())
            outputs = Model.ForwardOutputs(inputs, training: false, stamps);
        consume(outputs);
    }
}
