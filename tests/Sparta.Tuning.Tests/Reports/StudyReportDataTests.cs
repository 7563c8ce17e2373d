using Sparta.Tuning.Reports;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Reports;

/// <summary>The report's series, each checked against what the objective saw, recorded independently of the storage.</summary>
public sealed class StudyReportDataTests
{
    [Fact]
    public void History_holds_the_complete_values_in_trial_order_and_the_running_best()
    {
        foreach (var direction in new[] { StudyDirection.Minimize, StudyDirection.Maximize })
        {
            var (study, seen) = ReportStudy.Build(direction: direction);
            var history = StudyReportData.Of(study).History;
            var complete = seen.Where(s => s.Outcome == "complete").OrderBy(s => s.Number).ToList();
            Assert.Equal(complete.Select(s => s.Number), history.Select(p => p.Number));
            Assert.Equal(complete.Select(s => s.Value), history.Select(p => p.Value));
            double best = complete[0].Value;
            for (int i = 0; i < complete.Count; i++)
            {
                best = direction == StudyDirection.Minimize ? Math.Min(best, complete[i].Value) : Math.Max(best, complete[i].Value);
                Assert.Equal(best, history[i].BestSoFar);
                if (i > 0) Assert.True(direction == StudyDirection.Minimize ? history[i].BestSoFar <= history[i - 1].BestSoFar : history[i].BestSoFar >= history[i - 1].BestSoFar);
            }
            Assert.Equal(study.BestTrial.Number, StudyReportData.Of(study).Best!.Number);
        }
    }

    [Fact]
    public void Slices_place_each_complete_trial_at_its_parameter_with_log_axes_for_log_ranges()
    {
        var (study, seen) = ReportStudy.Build();
        var slices = StudyReportData.Of(study).Slices.ToDictionary(s => s.Axis.Name);
        var complete = seen.Where(s => s.Outcome == "complete").OrderBy(s => s.Number).ToList();
        Assert.Equal(new[] { "lr", "units", "activation", "momentum" }.Order(), slices.Keys.Order());

        Assert.True(slices["lr"].Axis.Log);
        Assert.Equal((1e-4, 1.0), (slices["lr"].Axis.Low, slices["lr"].Axis.High));
        Assert.Equal(complete.Select(s => (s.Number, s.Lr, s.Value)), slices["lr"].Points.Select(p => (p.Number, p.X, p.Value)));

        Assert.False(slices["units"].Axis.Log);
        Assert.Equal(complete.Select(s => (double)s.Units), slices["units"].Points.Select(p => p.X));

        Assert.Equal(new[] { "relu", "tanh" }, slices["activation"].Axis.Choices);
        Assert.Equal(complete.Select(s => s.Activation == "relu" ? 0.0 : 1.0), slices["activation"].Points.Select(p => p.X));

        // The conditional parameter's slice has only the trials that drew it.
        var withMomentum = complete.Where(s => s.Momentum is not null).ToList();
        Assert.NotEmpty(withMomentum);
        Assert.True(withMomentum.Count < complete.Count);
        Assert.Equal(withMomentum.Select(s => (s.Number, s.Momentum!.Value)), slices["momentum"].Points.Select(p => (p.Number, p.X)));
    }

    [Fact]
    public void Parallel_coordinates_have_one_line_per_complete_trial_over_the_shared_parameters()
    {
        var (study, seen) = ReportStudy.Build();
        var parallel = StudyReportData.Of(study).Parallel;
        Assert.Equal(new[] { "lr", "units", "activation" }, parallel.Axes.Select(a => a.Name));
        var complete = seen.Where(s => s.Outcome == "complete").OrderBy(s => s.Number).ToList();
        Assert.Equal(complete.Select(s => s.Number), parallel.Lines.Select(l => l.Number));
        foreach (var (line, s) in parallel.Lines.Zip(complete))
        {
            Assert.Equal(s.Value, line.Value);
            Assert.Equal(new[] { s.Lr, s.Units, s.Activation == "relu" ? 0 : 1 }, line.Positions);
        }
    }

    [Fact]
    public void Intermediate_values_keep_every_report_and_mark_the_pruned_trials()
    {
        var (study, seen) = ReportStudy.Build();
        var series = StudyReportData.Of(study).Intermediates;
        var all = seen.OrderBy(s => s.Number).ToList();
        Assert.Equal(all.Select(s => s.Number), series.Select(s => s.Number));
        foreach (var (curve, s) in series.Zip(all))
        {
            Assert.Equal(s.Reports, curve.Points.Select(p => p.Value));
            Assert.Equal(Enumerable.Range(0, s.Reports.Count), curve.Points.Select(p => p.Step));
            var expected = s.Outcome switch { "pruned" => TrialState.Pruned, "failed" => TrialState.Fail, _ => TrialState.Complete };
            Assert.Equal(expected, curve.State);
        }
        Assert.Equal(seen.Count(s => s.Outcome == "pruned"), series.Count(s => s.State == TrialState.Pruned));
    }

    [Fact]
    public void Importance_rates_the_shared_parameters_and_ranks_the_one_that_matters_first()
    {
        var study = Study.Create(sampler: new RandomSampler(5), seed: 2);
        study.Optimize(t => 10 * Math.Pow(Math.Log10(t.SuggestFloat("lr", 1e-4, 1, log: true)) + 2, 2) + 0.01 * t.SuggestFloat("noise", 0, 1), 40);
        var importance = StudyReportData.Of(study).Importance;
        Assert.Equal("lr", importance[0].Name);
        Assert.Equal(new[] { "lr", "noise" }, importance.Select(p => p.Name).Order());
        Assert.Equal(1.0, importance.Sum(p => p.Importance), 1e-9);
    }

    [Fact]
    public void A_study_without_complete_trials_has_empty_series()
    {
        var study = Study.Create();
        var trial = study.Ask();
        trial.SuggestFloat("x", 0, 1);
        study.Tell(trial, TrialState.Fail);
        var data = StudyReportData.Of(study);
        Assert.Single(data.Trials);
        Assert.Null(data.Best);
        Assert.Empty(data.History);
        Assert.Empty(data.Importance);
        Assert.Empty(data.Parallel.Lines);
        Assert.Empty(data.Slices);
    }
}
