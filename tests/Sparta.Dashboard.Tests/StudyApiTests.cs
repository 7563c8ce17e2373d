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

    /// <summary>Study "paged": 60 trials with x drawn at random, every seventh pruned, every eleventh failed (no value).</summary>
    private IReadOnlyList<FrozenTrial> PagedStudy()
    {
        var study = Study.Create("paged", StudyDirection.Minimize, _temp.Storage, seed: 4);
        study.Optimize(trial =>
        {
            double x = trial.SuggestFloat("x", 0, 10);
            trial.SuggestCategorical("kind", ["a", "b", "c"]);
            if (trial.Number % 11 == 10) throw new InvalidOperationException("failed on purpose");
            trial.Report(x, 0);
            if (trial.Number % 7 == 6) throw new TrialPruned("pruned on purpose");
            return Math.Abs(x - 3);
        }, 60, catchExceptions: [typeof(InvalidOperationException)]);
        return _temp.Storage.GetAllTrials(study.StudyId);
    }

    private static int[] Numbers(JsonElement body) => body.GetProperty("trials").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()).ToArray();

    [Fact]
    public async Task TrialsArePagedSortedAndFilteredByTheServer()
    {
        var trials = PagedStudy();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        // Sorted by value, missing values last, ties by number; the second page of 20.
        var byValue = trials.Where(t => t.Values is { Count: > 0 }).OrderBy(t => t.Values![0]).ThenBy(t => t.Number)
            .Concat(trials.Where(t => t.Values is not { Count: > 0 }).OrderBy(t => t.Number)).Select(t => t.Number).ToArray();
        var page = await dashboard.GetJsonAsync("api/studies/paged/trials?offset=20&limit=20&sort=value");
        Assert.Equal(byValue.Skip(20).Take(20), Numbers(page));
        Assert.Equal(trials.Count, page.GetProperty("total").GetInt32());
        Assert.Equal(trials.Count, page.GetProperty("matched").GetInt32());
        Assert.Equal(20, page.GetProperty("offset").GetInt32());

        // Descending: the valued trials reversed, the missing ones still last.
        var descending = await dashboard.GetJsonAsync("api/studies/paged/trials?sort=value:0&descending=true");
        var valued = trials.Where(t => t.Values is { Count: > 0 }).OrderByDescending(t => t.Values![0]).ThenBy(t => t.Number).Select(t => t.Number);
        Assert.Equal(valued.Concat(trials.Where(t => t.Values is not { Count: > 0 }).Select(t => t.Number).Order()), Numbers(descending));

        // Pruned and failed trials hidden, x within 2..5, sorted by x.
        var filtered = await dashboard.GetJsonAsync("api/studies/paged/trials?hide=PRUNED,FAIL&param=x&filter=2..5&sort=param:x");
        var expected = trials.Where(t => t.State == TrialState.Complete && (double)t.Params["x"]! is >= 2 and <= 5).OrderBy(t => (double)t.Params["x"]!).Select(t => t.Number).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Numbers(filtered));
        Assert.Equal(expected.Length, filtered.GetProperty("matched").GetInt32());

        // A bound, and text a categorical value contains.
        Assert.Equal(trials.Where(t => (double)t.Params["x"]! > 8).Select(t => t.Number), Numbers(await dashboard.GetJsonAsync("api/studies/paged/trials?param=x&filter=%3E8")));
        Assert.Equal(trials.Where(t => (string)t.Params["kind"]! == "b").Select(t => t.Number), Numbers(await dashboard.GetJsonAsync("api/studies/paged/trials?param=kind&filter=B")));

        Assert.Equal(["COMPLETE", "FAIL", "PRUNED"], page.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["x", "kind"], page.GetProperty("params").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task AnUnchangedPageOfTrialsIsNotSentAgain()
    {
        var study = Study.Create("polled", StudyDirection.Minimize, _temp.Storage);
        study.Tell(study.Ask(), 1);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        const string path = "api/studies/polled/trials?limit=100";

        async Task<(System.Net.HttpStatusCode Status, string? ETag, string Body)> Get(string? etag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var response = await dashboard.Client.SendAsync(request);
            return (response.StatusCode, response.Headers.ETag?.ToString(), await response.Content.ReadAsStringAsync());
        }

        var first = await Get(null);
        Assert.Equal(System.Net.HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.ETag);
        var again = await Get(first.ETag);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, again.Status);
        Assert.Empty(again.Body);

        // A trial that starts, then one that finishes: each changes the answer and its name.
        var running = study.Ask();
        var started = await Get(first.ETag);
        Assert.Equal(System.Net.HttpStatusCode.OK, started.Status);
        Assert.NotEqual(first.ETag, started.ETag);
        study.Tell(running, 0.5);
        var finished = await Get(started.ETag);
        Assert.Equal(System.Net.HttpStatusCode.OK, finished.Status);
        Assert.Equal(2, JsonDocument.Parse(finished.Body).RootElement.GetProperty("trials").GetArrayLength());
        // What each chart draws has its own fingerprint: a report changes the intermediate values' only.
        var before = JsonDocument.Parse(finished.Body).RootElement.GetProperty("version");
        var reporting = study.Ask();
        reporting.Report(3, 0);
        var after = (await dashboard.GetJsonAsync(path)).GetProperty("version");
        Assert.Equal(before.GetProperty("complete").GetString(), after.GetProperty("complete").GetString());
        Assert.NotEqual(before.GetProperty("reported").GetString(), after.GetProperty("reported").GetString());
    }

    [Theory]
    [InlineData("sort=colour", "sort")]
    [InlineData("limit=-1", "limit")]
    [InlineData("offset=x", "offset")]
    [InlineData("descending=maybe", "descending")]
    [InlineData("param=x&filter=1..z", "filter")]
    public async Task ABadTrialsQueryIsNamed(string query, string named)
    {
        PagedStudy();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        using var response = await dashboard.Client.GetAsync($"api/studies/paged/trials?{query}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"query: {named}:", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AStudyOfTwoObjectivesNamesThemForTheTable()
    {
        int id = _temp.Storage.CreateStudy("two", [StudyDirection.Minimize, StudyDirection.Maximize]);
        _temp.Storage.SetStudySystemAttr(id, StudySystemAttrs.MetricNames, "[\"val_loss\", \"accuracy\"]");
        double[][] values = [[1, 0.5], [2, 0.9], [0.5, 0.7]];
        foreach (var v in values) _temp.Storage.SetTrialStateValues(_temp.Storage.CreateTrial(id), TrialState.Complete, v);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        var body = await dashboard.GetJsonAsync("api/studies/two/trials?sort=value:1&descending=true");
        Assert.Equal(["val_loss", "accuracy"], body.GetProperty("objective_names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal([1, 2, 0], Numbers(body));
        Assert.Equal(values[1], body.GetProperty("trials")[0].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
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
