namespace Sparta.Tests.Experiments;

public class LayeringTests
{
    [Fact]
    public void TheLibraryDoesNotReferenceTheTuningLibrary()
    {
        // The experiment file only describes distributions; sampling them belongs to Sparta.Tuning,
        // which the command line joins to the library, never the other way round.
        string project = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Sparta", "Sparta.csproj"));
        Assert.DoesNotContain("Sparta.Tuning", project);
        Assert.DoesNotContain(typeof(Sparta.Experiments.Experiment).Assembly.GetReferencedAssemblies(), a => a.Name == "Sparta.Tuning");
    }
}
