using System.Globalization;
using System.Text.Json;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests;

/// <summary>The study endpoints answer what the storage holds, read back independently through the storage itself.</summary>
public sealed class StudyApiTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Study "alpha" (minimized) holds every state: complete, pruned, failed, running, with float,
    /// int and categorical parameters, a NaN intermediate value and a user attribute. "beta" is
    /// maximized with one complete trial; "gamma" has no trial.
    /// </summary>
    private void Populate()
    {
        var alpha = Study.Create("alpha", StudyDirection.Minimize, _temp.Storage, seed: 3);
        double[] values = [2.5, 0.75, 1.25];
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            var trial = alpha.Ask();
            trial.SuggestFloat("lr", 1e-4, 1, log: true);
            trial.SuggestInt("units", 8, 64);
            trial.SuggestCategorical("activation", ["relu", "tanh"]);
            trial.Report(value + 1, 0);
            trial.Report(i == 1 ? double.NaN : value + 0.5, 1);
            trial.SetUserAttr("note", $"trial {i}");
            alpha.Tell(trial, value);
        }
        var pruned = alpha.Ask();
        pruned.SuggestFloat("lr", 1e-4, 1, log: true);
        pruned.Report(9, 0);
        alpha.Tell(pruned, TrialState.Pruned, 9);
        alpha.Tell(alpha.Ask(), TrialState.Fail, failReason: "diverged");
        alpha.Ask(); // still running

        var beta = Study.Create("beta", StudyDirection.Maximize, _temp.Storage);
        var b = beta.Ask();
        b.SuggestFloat("x", 0, 1);
        beta.Tell(b, 0.5);
        Study.Create("gamma", StudyDirection.Minimize, _temp.Storage);
    }

    [Fact]
    public async Task StudyListCountsTrialsByStateAndNamesTheBestTrial()
    {
        Populate();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var list = await dashboard.GetJsonAsync("api/studies");

        var storage = _temp.Storage;
        var expected = storage.GetAllStudies().OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Select(s => s.Name), list.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        foreach (var (info, row) in expected.Zip(list.EnumerateArray()))
        {
            var trials = storage.GetAllTrials(info.StudyId);
            Assert.Equal(trials.Count, row.GetProperty("trials").GetInt32());
            Assert.Equal(info.Directions.Select(d => d.ToString().ToUpperInvariant()), row.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
            var states = row.GetProperty("states").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            foreach (TrialState state in Enum.GetValues<TrialState>())
                Assert.Equal(trials.Count(t => t.State == state), states.GetValueOrDefault(state.ToString().ToUpperInvariant()));

            var complete = trials.Where(t => t.State == TrialState.Complete).ToArray();
            var best = row.GetProperty("best");
            if (complete.Length == 0) { Assert.Equal(JsonValueKind.Null, best.ValueKind); continue; }
            var bestTrial = info.Directions[0] == StudyDirection.Maximize ? complete.MaxBy(t => t.Values![0])! : complete.MinBy(t => t.Values![0])!;
            Assert.Equal(bestTrial.Number, best.GetProperty("number").GetInt32());
            Assert.Equal(bestTrial.Values![0], best.GetProperty("value").GetDouble());
        }
        // The populated studies make the comparison above meaningful: alpha's best is its second trial.
        Assert.Equal(1, list[0].GetProperty("best").GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task TrialsEndpointListsEveryTrialWithStateValuesAndExternalParameters()
    {
        Populate();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var body = await dashboard.GetJsonAsync("api/studies/alpha/trials");

        var stored = _temp.Storage.GetAllTrials(_temp.Storage.FindStudy("alpha")!.StudyId);
        var rows = body.GetProperty("trials").EnumerateArray().ToArray();
        Assert.Equal(6, stored.Count);
        Assert.Equal(stored.Count, rows.Length);
        foreach (var (trial, row) in stored.Zip(rows))
        {
            Assert.Equal(trial.Number, row.GetProperty("number").GetInt32());
            Assert.Equal(trial.State.ToString().ToUpperInvariant(), row.GetProperty("state").GetString());
            var values = row.GetProperty("values");
            if (trial.Values is null) Assert.Equal(JsonValueKind.Null, values.ValueKind);
            else Assert.Equal(trial.Values, values.EnumerateArray().Select(v => v.GetDouble()));
            var parameters = row.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal(trial.InternalParams.Keys.Order(), parameters.Keys.Order());
            foreach (var (name, internalValue) in trial.InternalParams)
                Assert.Equal(JsonSerializer.Serialize(trial.Distributions[name].ToExternal(internalValue)), parameters[name].GetRawText());
            int? lastStep = trial.IntermediateValues.Count == 0 ? null : trial.IntermediateValues.Keys.Max();
            Assert.Equal(lastStep?.ToString(CultureInfo.InvariantCulture) ?? "null", row.GetProperty("last_step").GetRawText());
        }
    }

    [Fact]
    public async Task TrialDetailGivesIntermediateValuesInStepOrderAndAttributesAsValues()
    {
        Populate();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var stored = _temp.Storage.GetAllTrials(_temp.Storage.FindStudy("alpha")!.StudyId);
        foreach (var trial in stored)
        {
            var detail = await dashboard.GetJsonAsync($"api/studies/alpha/trials/{trial.Number}");
            Assert.Equal(trial.Number, detail.GetProperty("trial").GetProperty("number").GetInt32());
            var reports = detail.GetProperty("intermediate_values").EnumerateArray()
                .Select(r => (r.GetProperty("step").GetInt32(), ReadDouble(r.GetProperty("value")))).ToArray();
            Assert.Equal(trial.IntermediateValues.OrderBy(v => v.Key).Select(v => (v.Key, v.Value)), reports);
            foreach (var (key, json) in trial.UserAttrs)
                Assert.Equal(JsonDocument.Parse(json).RootElement.GetRawText(), detail.GetProperty("user_attrs").GetProperty(key).GetRawText());
            Assert.Equal(trial.SystemAttrs.Keys.Order(), detail.GetProperty("system_attrs").EnumerateObject().Select(p => p.Name).Order());
        }
        // NaN, a diverged epoch, travels as the literal "NaN".
        var second = await dashboard.GetJsonAsync("api/studies/alpha/trials/1");
        Assert.Equal("NaN", second.GetProperty("intermediate_values")[1].GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("api/studies/nosuch/trials", "no study 'nosuch'")]
    [InlineData("api/studies/alpha/trials/99", "has no trial 99")]
    [InlineData("api/studies/nosuch/history.svg", "no study 'nosuch'")]
    public async Task UnknownStudyOrTrialIsNotFoundWithAMessageNamingIt(string path, string message)
    {
        Populate();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        using var response = await dashboard.Client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TrialsWrittenAfterTheServerStartedAppearOnTheNextRequest()
    {
        var study = Study.Create("live", StudyDirection.Minimize, _temp.Storage);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        for (int n = 1; n <= 3; n++)
        {
            var trial = study.Ask();
            study.Tell(trial, n);
            var rows = (await dashboard.GetJsonAsync("api/studies/live/trials")).GetProperty("trials");
            Assert.Equal(n, rows.GetArrayLength());
        }
    }

    [Theory]
    [InlineData("lab/run 1")]
    [InlineData("fashion/mlp/tpe")]
    [InlineData("naïve & 100%")]
    public async Task AStudyWhoseNameHoldsASlashOrOtherReservedCharactersOpensAsThePageAsksForIt(string name)
    {
        var study = Study.Create(name, StudyDirection.Minimize, _temp.Storage);
        study.Tell(study.Ask(), 2.5);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        // The page names a study with encodeURIComponent, which Uri.EscapeDataString matches.
        string path = $"api/studies/{Uri.EscapeDataString(name)}";
        var body = await dashboard.GetJsonAsync($"{path}/trials");
        Assert.Equal(name, body.GetProperty("study").GetString());
        Assert.Equal(1, body.GetProperty("trials").GetArrayLength());
        using var chart = await dashboard.Client.GetAsync($"{path}/history.svg");
        Assert.True(chart.IsSuccessStatusCode, $"GET {path}/history.svg: {(int)chart.StatusCode}");
    }

    private static double ReadDouble(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();
}
