using System.Collections.Concurrent;
using Sparta.Tuning;
using Sparta.Tuning.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// Each study's trials as last read, shared by every request that finds them unchanged: a study page
/// opening asks for its trials and five charts at once, and each would otherwise turn 10,000 trials
/// into table rows or a chart of its own. A request still reads the storage (only the trials that are
/// new or were unfinished: the storage keeps the finished ones), fingerprints them
/// (<see cref="TrialsVersion"/>), and gets the snapshot of that fingerprint: the rows of the table and
/// each chart drawn once per version, then answered from memory until a trial changes.
/// </summary>
internal sealed class StudySnapshots
{
    /// <summary>One version of a study's trials and what was computed from it (each part on first use).</summary>
    public sealed class Snapshot
    {
        private readonly Lazy<TrialJson.Row[]> _rows;
        private readonly ConcurrentDictionary<string, Lazy<string>> _charts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<TrialJson.Row>>> _selections = new(StringComparer.Ordinal);
        private readonly Lazy<(string[] States, string[] Params)> _offered;

        /// <param name="previous">The study's snapshot before this one: its charts whose own fingerprint did not change (a
        /// trial that only reported leaves the history as it was) are kept, not drawn again.</param>
        public Snapshot(Study study, IReadOnlyList<FrozenTrial> trials, TrialsVersion version, string metricName, Snapshot? previous)
        {
            (Study, Trials, Version, MetricName) = (study, trials, version, metricName);
            _rows = new Lazy<TrialJson.Row[]>(() => trials.Select(TrialJson.ToRow).ToArray());
            _offered = new Lazy<(string[], string[])>(() => (Rows.Select(r => r.State).Distinct().Order(StringComparer.Ordinal).ToArray(),
                Rows.SelectMany(r => r.Params.Keys).Distinct().ToArray()));
            if (previous is null || previous.MetricName != metricName || previous.Study.StudyId != study.StudyId) return;
            foreach (var (chart, svg) in previous._charts)
                if (previous.Version.Of(chart) == version.Of(chart)) _charts[chart] = svg;
        }

        public Study Study { get; }
        public IReadOnlyList<FrozenTrial> Trials { get; }
        public TrialsVersion Version { get; }

        /// <summary>What the study's one objective is called (the charts' value axis).</summary>
        public string MetricName { get; }

        /// <summary>The trials as the table's rows, in number order.</summary>
        public IReadOnlyList<TrialJson.Row> Rows => _rows.Value;

        /// <summary>The states the trials are in and the parameters they have, the choices the table's filters offer.</summary>
        public IReadOnlyList<string> States => _offered.Value.States;
        public IReadOnlyList<string> Params => _offered.Value.Params;

        /// <summary>Most selections of the table kept at once; past that the kept ones are dropped (a reader typing a filter makes many).</summary>
        private const int KeptSelections = 32;

        /// <summary>
        /// The rows the query keeps, in its order, computed once per version and selection (<see cref="TrialQuery.Selection"/>):
        /// the table polls the same page every second, and its next pages share the sorted rows.
        /// </summary>
        public IReadOnlyList<TrialJson.Row> Matching(TrialQuery query)
        {
            if (_selections.Count >= KeptSelections) _selections.Clear();
            return _selections.GetOrAdd(query.Selection, _ => new Lazy<IReadOnlyList<TrialJson.Row>>(() => query.Apply(Rows),
                LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        /// <summary>The SVG of a chart of these trials, drawn by the first request that asks for it; requests arriving meanwhile wait for that drawing.</summary>
        public string Chart(string name, Func<string> draw) =>
            _charts.GetOrAdd(name, _ => new Lazy<string>(draw, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Called with each new snapshot, once it is the study's latest (the charts start drawing it).</summary>
    public Action<Snapshot>? Made { get; init; }

    /// <summary>A study's latest snapshot, and when the read that made it started (<see cref="_clock"/>).</summary>
    private sealed class Latest
    {
        public Snapshot? Snapshot;
        public long ReadStarted;
    }

    private readonly ConcurrentDictionary<string, Latest> _latest = new(StringComparer.Ordinal);

    /// <summary>Counts arrivals and reads, in the order they happen: a read numbered after a request's arrival began after it.</summary>
    private long _clock;

    /// <summary>
    /// The study's trials as the storage holds them now. Requests for one study read it one at a time,
    /// and a request that waited for a read begun after it arrived takes that read's snapshot rather
    /// than reading again: that read saw everything written before the request came, as its own would.
    /// A page opening asks for its trials and five charts at once; they then read the storage twice,
    /// not six times one after another.
    /// </summary>
    public Snapshot Of(Study study)
    {
        long arrived = Interlocked.Increment(ref _clock);
        var latest = _latest.GetOrAdd(study.Name, _ => new Latest());
        lock (latest)
        {
            if (latest.Snapshot is { } shared && latest.ReadStarted > arrived && shared.Study.StudyId == study.StudyId) return shared;
            long started = Interlocked.Increment(ref _clock);
            var trials = study.Trials;
            string metricName = StudySystemAttrs.MetricName(study);
            var last = latest.Snapshot;
            latest.ReadStarted = started;
            var version = last is not null && SameTrials(last.Trials, trials) ? last.Version : TrialsVersion.Of(trials);
            if (last is not null && last.Version == version && last.MetricName == metricName && last.Study.StudyId == study.StudyId)
                return last;
            var snapshot = new Snapshot(study, trials, version, metricName, last);
            latest.Snapshot = snapshot;
            Made?.Invoke(snapshot);
            return snapshot;
        }
    }

    /// <summary>
    /// Whether a read gave back the very trials of the last one: the storage keeps finished trials and
    /// hands out the same (immutable) objects, so a study where nothing changed needs no fingerprint.
    /// </summary>
    private static bool SameTrials(IReadOnlyList<FrozenTrial> last, IReadOnlyList<FrozenTrial> now)
    {
        if (last.Count != now.Count) return false;
        for (int i = 0; i < now.Count; i++)
            if (!ReferenceEquals(last[i], now[i])) return false;
        return true;
    }
}
