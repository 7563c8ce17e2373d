using System.CommandLine;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary>The MODEL argument and the <c>--inputs</c> option of the commands that use a saved model.</summary>
internal static class ModelOptions
{
    public static Argument<string> Model() => new("MODEL") { Description = "a model file (.sparta or .onnx; a run directory's model.sparta)" };

    /// <summary><c>--inputs SPEC</c>, or one <c>--inputs NAME=SPEC</c> per input of a multi-input model.</summary>
    public static Option<string[]> Inputs(string description) => OptionFactory.Repeatable("--inputs",
        description + "; SPEC is a .npy, .csv or IDX file, or DATASET:SPLIT (fashion-mnist:test); a multi-input model takes one NAME=SPEC per input",
        "SPEC|NAME=SPEC");

    /// <summary>The samples of each <c>--inputs</c> of <paramref name="saved"/> by input name ("" for an unnamed SPEC).</summary>
    public static Dictionary<string, Tensor> Read(IEnumerable<string> inputs, SavedModel saved)
    {
        var samples = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string argument in inputs)
        {
            var (name, spec) = ArraySource.Named(argument);
            if (samples.ContainsKey(name))
                throw new UsageException(name.Length == 0 ? "--inputs: give one SPEC, or one NAME=SPEC per input" : $"--inputs: input '{name}' is given twice");
            samples[name] = ArraySource.Inputs(spec, saved, name);
        }
        return samples;
    }

    /// <summary>A run directory stands for its model file.</summary>
    public static string Path(string modelOrRun) => RunDirectory.ModelPath(modelOrRun);
}
