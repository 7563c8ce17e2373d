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

        /// <param name="previous">The study's snapshot before this one: its charts whose own fingerprint did not change (a
        /// trial that only reported leaves the history as it was) are kept, not drawn again.</param>
        public Snapshot(Study study, IReadOnlyList<FrozenTrial> trials, TrialsVersion version, string metricName, Snapshot? previous)
        {
            (Study, Trials, Version, MetricName) = (study, trials, version, metricName);
            _rows = new Lazy<TrialJson.Row[]>(() => trials.Select(TrialJson.ToRow).ToArray());
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

        /// <summary>The SVG of a chart of these trials, drawn by the first request that asks for it; requests arriving meanwhile wait for that drawing.</summary>
        public string Chart(string name, Func<string> draw) =>
            _charts.GetOrAdd(name, _ => new Lazy<string>(draw, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Called with each new snapshot, once it is the study's latest (the charts start drawing it).</summary>
    public Action<Snapshot>? Made { get; init; }

    private readonly ConcurrentDictionary<string, Snapshot> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _reading = new(StringComparer.Ordinal);

    /// <summary>
    /// The study's trials as the storage holds them now. Requests for one study read it one at a time:
    /// the first read of a large study is long, and the ones queued behind it then find the storage's
    /// cache warm and the snapshot already made.
    /// </summary>
    public Snapshot Of(Study study)
    {
        lock (_reading.GetOrAdd(study.Name, _ => new object()))
        {
            var trials = study.Trials;
            var version = TrialsVersion.Of(trials);
            string metricName = StudySystemAttrs.MetricName(study);
            if (_latest.TryGetValue(study.Name, out var last) && last.Version == version && last.MetricName == metricName
                && last.Study.StudyId == study.StudyId)
                return last;
            var snapshot = new Snapshot(study, trials, version, metricName, last);
            _latest[study.Name] = snapshot;
            Made?.Invoke(snapshot);
            return snapshot;
        }
    }
}
