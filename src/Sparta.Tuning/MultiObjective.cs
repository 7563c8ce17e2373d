namespace Sparta.Tuning;

/// <summary>
/// Optuna's rules for comparing trials of several objectives: domination, constrained domination
/// (a feasible trial beats an infeasible one, the smaller total violation beats the larger), the
/// Pareto front, and NSGA-II's nondominated sort and crowding distance, in Optuna 3.1's order so
/// the same population gives the same ranks and the same survivors.
/// </summary>
public static class MultiObjective
{
    /// <summary>
    /// Whether values <paramref name="a"/> dominate <paramref name="b"/>: no worse on every objective
    /// and not equal (Optuna's <c>_dominates</c> on complete trials).
    /// </summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<StudyDirection> directions)
    {
        if (a.Count != directions.Count || b.Count != directions.Count)
            throw new ArgumentException($"dominates: {directions.Count} objectives, got {a.Count} and {b.Count} values");
        bool equal = true;
        for (int i = 0; i < directions.Count; i++)
        {
            double x = Loss(a[i], directions[i]), y = Loss(b[i], directions[i]);
            if (!(x <= y)) return false;
            equal &= x == y;
        }
        return !equal;
    }

    /// <summary>Optuna's <c>_dominates</c> on trials: a complete trial dominates an unfinished one, never the reverse.</summary>
    public static bool Dominates(FrozenTrial a, FrozenTrial b, IReadOnlyList<StudyDirection> directions)
    {
        if (a.State != TrialState.Complete) return false;
        if (b.State != TrialState.Complete) return true;
        return Dominates(a.Values!, b.Values!, directions);
    }

    /// <summary>
    /// Optuna's constrained domination: a trial with constraint values beats one without; a feasible
    /// trial beats an infeasible one; of two infeasible trials, the smaller total violation wins; two
    /// feasible trials compare by <see cref="Dominates(FrozenTrial, FrozenTrial, IReadOnlyList{StudyDirection})"/>.
    /// </summary>
    public static bool ConstrainedDominates(FrozenTrial a, FrozenTrial b, IReadOnlyList<StudyDirection> directions)
    {
        var ca = TrialConstraints.Of(a);
        var cb = TrialConstraints.Of(b);
        if (ca is null && cb is null) return Dominates(a, b, directions);
        if (cb is null) return true;
        if (ca is null) return false;
        if (ca.Count != cb.Count) throw new ArgumentException($"trials {a.Number} and {b.Number} have {ca.Count} and {cb.Count} constraints: they cannot be compared");
        if (a.State != TrialState.Complete) return false;
        if (b.State != TrialState.Complete) return true;
        bool feasibleA = TrialConstraints.Feasible(ca), feasibleB = TrialConstraints.Feasible(cb);
        if (feasibleA && feasibleB) return Dominates(a, b, directions);
        if (feasibleA) return true;
        if (feasibleB) return false;
        return TrialConstraints.Violation(ca) < TrialConstraints.Violation(cb);
    }

    /// <summary>
    /// The complete trials no other complete trial dominates, in number order. When some trial
    /// satisfies its constraints, those that violate theirs are left out first.
    /// </summary>
    public static IReadOnlyList<FrozenTrial> ParetoFront(IEnumerable<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Values?.Count == directions.Count).ToList();
        if (complete.Any(t => TrialConstraints.Of(t) is { } c && TrialConstraints.Feasible(c)))
            complete = complete.Where(t => TrialConstraints.Of(t) is not { } c || TrialConstraints.Feasible(c)).ToList();
        return complete.Where(t => !complete.Any(o => Dominates(o.Values!, t.Values!, directions))).OrderBy(t => t.Number).ToList();
    }

    /// <summary>
    /// NSGA-II's fast nondominated sort as Optuna 3.1 runs it: the population split into fronts, the
    /// first dominated by none, each next one dominated only by the fronts before it. Within a front
    /// the order is Optuna's (it matters when a front is cut by crowding distance).
    /// </summary>
    public static IReadOnlyList<List<FrozenTrial>> NondominatedSort(IReadOnlyList<FrozenTrial> population, Func<FrozenTrial, FrozenTrial, bool> dominates)
    {
        var dominatedCount = new Dictionary<int, int>();
        var dominatesList = new Dictionary<int, List<int>>();
        foreach (var t in population)
        {
            dominatedCount[t.Number] = 0;
            dominatesList[t.Number] = [];
        }
        for (int i = 0; i < population.Count; i++)
            for (int j = i + 1; j < population.Count; j++)
            {
                var (p, q) = (population[i], population[j]);
                if (dominates(p, q)) { dominatesList[p.Number].Add(q.Number); dominatedCount[q.Number]++; }
                else if (dominates(q, p)) { dominatesList[q.Number].Add(p.Number); dominatedCount[p.Number]++; }
            }
        var remaining = population.ToList();
        var fronts = new List<List<FrozenTrial>>();
        while (remaining.Count > 0)
        {
            var front = new List<FrozenTrial>();
            int i = 0;
            while (i < remaining.Count)
            {
                if (dominatedCount[remaining[i].Number] != 0) { i++; continue; }
                front.Add(remaining[i]);
                // Optuna moves the last one into the gap (it is looked at next).
                remaining[i] = remaining[^1];
                remaining.RemoveAt(remaining.Count - 1);
            }
            if (front.Count == 0) throw new InvalidOperationException("nondominated sort: a cycle of domination (a NaN value?)");
            foreach (var x in front)
                foreach (int y in dominatesList[x.Number]) dominatedCount[y]--;
            fronts.Add(front);
        }
        return fronts;
    }

    /// <summary>
    /// Optuna's crowding distance of each trial of a front (by number): per objective, the gap
    /// between its two neighbours over the range of the finite values, summed; the ends get infinity.
    /// Reorders <paramref name="front"/> as Optuna's does (sorted by each objective in turn).
    /// </summary>
    public static Dictionary<int, double> CrowdingDistance(List<FrozenTrial> front)
    {
        var distance = front.ToDictionary(t => t.Number, _ => 0.0);
        if (front.Count == 0) return distance;
        for (int m = 0; m < front[0].Values!.Count; m++)
        {
            int objective = m;
            SortStable(front, t => t.Values![objective]);
            if (front[0].Values![m] == front[^1].Values![m]) continue;
            var vs = new double[front.Count + 2];
            vs[0] = double.NegativeInfinity;
            vs[^1] = double.PositiveInfinity;
            for (int j = 0; j < front.Count; j++) vs[j + 1] = front[j].Values![m];
            double min = vs.First(v => v != double.NegativeInfinity), max = vs.Last(v => v != double.PositiveInfinity);
            double width = max - min;
            if (!(width > 0)) width = 1.0;
            for (int j = 0; j < front.Count; j++)
            {
                double gap = vs[j] == vs[j + 2] ? 0.0 : vs[j + 2] - vs[j];
                distance[front[j].Number] += gap / width;
            }
        }
        return distance;
    }

    /// <summary>Optuna's crowding-distance sort: stably by distance, then the whole list reversed (largest first).</summary>
    public static void CrowdingDistanceSort(List<FrozenTrial> front)
    {
        var distance = CrowdingDistance(front);
        SortStable(front, t => distance[t.Number]);
        front.Reverse();
    }

    /// <summary>
    /// NSGA-II's survivors: whole fronts while they fit in <paramref name="size"/>, then the most
    /// isolated trials (largest crowding distance) of the front that does not fit.
    /// </summary>
    public static List<FrozenTrial> SelectElite(IReadOnlyList<FrozenTrial> population, int size, Func<FrozenTrial, FrozenTrial, bool> dominates)
    {
        var elite = new List<FrozenTrial>();
        foreach (var front in NondominatedSort(population, dominates))
        {
            if (elite.Count + front.Count < size)
            {
                elite.AddRange(front);
                continue;
            }
            CrowdingDistanceSort(front);
            elite.AddRange(front.Take(size - elite.Count));
            break;
        }
        return elite;
    }

    private static double Loss(double value, StudyDirection direction) => direction == StudyDirection.Maximize ? -value : value;

    // Python's list.sort: stable (List<T>.Sort is not).
    private static void SortStable(List<FrozenTrial> items, Func<FrozenTrial, double> key)
    {
        var sorted = items.Select((t, i) => (t, i)).OrderBy(x => key(x.t)).ThenBy(x => x.i).Select(x => x.t).ToList();
        items.Clear();
        items.AddRange(sorted);
    }
}
