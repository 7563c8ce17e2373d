using Sparta.Data;
using Sparta.Models;
using Sparta.Training;

namespace Sparta.Experiments;

/// <summary>
/// The members of an <c>ensemble:</c> run (the run's own model first, then one per further seed), each
/// one's test scores, and the test scores of their averaged outputs.
/// </summary>
public sealed record EnsembleResult(IReadOnlyList<Trainer> Members, IReadOnlyList<IReadOnlyDictionary<string, double>> MemberScores,
    IReadOnlyDictionary<string, double> Scores);

/// <summary>
/// Trains the further members of an ensemble, from seeds seed + 1, seed + 2, ... on the same data (the same training
/// and validation parts, the same fitted preprocessing), and
/// scores the average of all members' outputs (probabilities for a cross-entropy on logits) on the
/// test set. Prints one line per member and one for the ensemble.
/// </summary>
internal static class ExperimentEnsemble
{
    public static EnsembleResult Run(ExperimentRunner runner, EnsembleSpec spec, Trainer first, IReadOnlyDictionary<string, double> firstScores,
        ExperimentData data, TextWriter output)
    {
        var experiment = runner.Spec;
        var test = data.Test!;
        int batch = ExperimentRunner.EvaluationBatchSize(experiment);
        var members = new List<Trainer> { first };
        var memberScores = new List<IReadOnlyDictionary<string, double>> { firstScores };
        output.WriteLine($"member 1/{spec.Members} seed={experiment.Seed} " + TestLine(firstScores));
        for (int k = 1; k < spec.Members; k++)
        {
            ulong seed = experiment.Seed + (ulong)k;
            var member = runner.TrainQuietly(data, seed);
            var scores = member.Evaluate(test, batch);
            output.WriteLine($"member {k + 1}/{spec.Members} seed={seed} " + TestLine(scores));
            members.Add(member);
            memberScores.Add(scores);
        }
        var ensemble = Ensemble.For(members.Select(m => m.Model), first.Loss);
        var averaged = first.Score(test, batch, ensemble.PredictOutputs);
        output.WriteLine($"ensemble members={spec.Members} " + TestLine(averaged));
        return new EnsembleResult(members, memberScores, averaged);
    }

    private static string TestLine(IReadOnlyDictionary<string, double> scores) => Scores.Line(scores.Select(s => ("test_" + s.Key, s.Value)));
}
