using Sparta.Experiments;
using Sparta.Tests.Data;

namespace Sparta.Tests.Experiments;

/// <summary>
/// The bone-age example end to end on its real data: the script writes sklearn's digits and their
/// attribute, the example reads them as two inputs of the zoo's bone_age network and trains, and the
/// second input is real information: the attribute separates the values regressed.
/// </summary>
public class BoneAgeExampleTests
{
    private static string ExampleDirectory => Path.Combine(RepositoryRoot.Path, "examples", "bone-age-digits");

    [Fact]
    public void TheExampleTrainsTheSlidesNetworkOnTheDigitsAndTheirAttribute()
    {
        using var dir = new TempDirectory();
        PythonScript.Run($"""
            import runpy, sys
            sys.argv = ["make-data.py", "{dir.Path}"]
            runpy.run_path("{Path.Combine(ExampleDirectory, "make-data.py")}", run_name="__main__")
            """);
        File.Copy(Path.Combine(ExampleDirectory, "bone-age-digits.yaml"), dir.File("bone-age-digits.yaml"));
        var experiment = Experiment.Load(dir.File("bone-age-digits.yaml")).With("epochs", "2").With("data.train_samples", "256");
        var result = new ExperimentRunner(experiment.Spec(), dir.Path).Run(TextWriter.Null, verbose: false, diagnose: false);

        Assert.Equal(["image", "sex"], result.Trainer.Model.InputNames);
        Assert.True(double.IsFinite(result.TestScores["mae"]), $"test mae {result.TestScores["mae"]}");
        var values = Sparta.Data.Loaders.NpyFile.Read(dir.File("value-train.npy")).ToArray();
        var group = Sparta.Data.Loaders.NpyFile.Read(dir.File("group-train.npy")).ToArray();
        Assert.True(values.Where((_, i) => group[i] == 1).Min() > values.Where((_, i) => group[i] == 0).Max(), "the attribute separates the values");
        Assert.Equal(1797 - 360, values.Length);
    }
}
