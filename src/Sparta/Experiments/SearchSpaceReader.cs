using System.Globalization;

namespace Sparta.Experiments;

/// <summary>
/// Finds the distributions of an experiment tree: a mapping whose first key is one of
/// uniform, loguniform, int or choice (int may add <c>step</c> and <c>log</c>, uniform <c>step</c>).
/// </summary>
internal static class SearchSpaceReader
{
    public static bool IsDistribution(YamlTree node) =>
        node.IsMapping && node.Entries!.Count > 0 && SearchParameter.KindNames.Contains(node.Entries[0].Key);

    public static List<SearchParameter> Find(YamlTree root, string file)
    {
        var found = new List<SearchParameter>();
        Walk(root, "", file, found);
        return found;
    }

    private static void Walk(YamlTree node, string path, string file, List<SearchParameter> found)
    {
        if (IsDistribution(node)) { found.Add(Read(node, path, file)); return; }
        if (node.IsMapping) foreach (var (key, child) in node.Entries!) Walk(child, YamlTree.Join(path, key), file, found);
        if (node.IsSequence) for (int i = 0; i < node.Items!.Count; i++) Walk(node.Items[i], YamlTree.Join(path, i.ToString(CultureInfo.InvariantCulture)), file, found);
    }

    private static SearchParameter Read(YamlTree node, string path, string file)
    {
        var (kindName, bounds) = node.Entries![0];
        string where = YamlTree.Join(path, kindName);
        string[] allowedExtras = kindName switch { "int" => ["step", "log"], "uniform" => ["step"], _ => [] };
        double? step = null;
        bool log = kindName == "loguniform";
        foreach (var (key, value) in node.Entries.Skip(1))
        {
            string at = YamlTree.Join(path, key);
            if (!allowedExtras.Contains(key))
                throw new ExperimentException(file, at, $"unknown key for a {kindName} distribution; {Suggest.Keys(key, allowedExtras)}");
            if (key == "step") step = Scalars.PositiveNumber(value, file, at);
            else log = Scalars.Bool(value, file, at);
        }
        if (kindName == "choice")
        {
            if (!bounds.IsSequence || bounds.Items!.Count == 0 || !bounds.Items.All(i => i.IsScalar))
                throw new ExperimentException(file, where, "must be a non-empty list of values, e.g. {choice: [relu, tanh]}");
            return new SearchParameter(path, SearchKind.Choice, Choices: bounds.Items.Select(Scalars.Value).ToArray());
        }
        if (!bounds.IsSequence || bounds.Items!.Count != 2 || !bounds.Items.All(i => i.IsScalar))
            throw new ExperimentException(file, where, $"must be a list [low, high], got {Scalars.Show(bounds)}");
        double low = Scalars.Number(bounds.Items[0], file, where), high = Scalars.Number(bounds.Items[1], file, where);
        if (!(low < high)) throw new ExperimentException(file, where, $"low must be below high, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
        if (log && low <= 0) throw new ExperimentException(file, where, $"a log range must be above zero, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
        if (kindName == "int")
        {
            if (low != Math.Floor(low) || high != Math.Floor(high)) throw new ExperimentException(file, where, $"int bounds must be integers, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
            if (step is double s && s != Math.Floor(s)) throw new ExperimentException(file, YamlTree.Join(path, "step"), $"must be an integer, got {Scalars.Format(s)}");
            if (log && step is > 1) throw new ExperimentException(file, YamlTree.Join(path, "step"), "cannot be combined with log: true");
        }
        var kind = kindName switch { "int" => SearchKind.Int, "loguniform" => SearchKind.LogUniform, _ => SearchKind.Uniform };
        return new SearchParameter(path, kind, low, high, step, log);
    }
}
