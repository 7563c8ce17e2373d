using Sparta.Configuration;

namespace Sparta.Experiments;

/// <summary>"did you mean 'name'?" for a misspelled key or name, or the valid ones when none is close.</summary>
public static class Suggest
{
    public static string Keys(string received, IEnumerable<string> valid) => Phrase(received, valid, "keys");

    public static string Names(string received, IEnumerable<string> valid) => Phrase(received, valid, "names");

    private static string Phrase(string received, IEnumerable<string> valid, string what)
    {
        var all = valid.Distinct().ToList();
        if (all.Count == 0) return $"no {what} are accepted here";
        var closest = NameSuggestions.Closest(received, all);
        bool close = closest.Count < all.Count || all.Count <= 3;
        return close
            ? $"did you mean {string.Join(" or ", closest.Select(c => $"'{c}'"))}?"
            : $"valid {what}: {string.Join(", ", closest)}";
    }
}
