using System.Text.Json;
using Sparta.Serialization;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>--best-out FILE</c>: the best trial's parameters as a JSON object (name -> value), the
/// configuration to use once the search is over. Tuning an experiment file writes a ready experiment
/// file instead (<see cref="ExperimentSearchResult.BestExperiment"/>).
/// </summary>
public static class BestConfigFile
{
    public static void Write(string path, FrozenTrial best)
    {
        var options = new JsonSerializerOptions { WriteIndented = true };
        AtomicText.Write(path, JsonSerializer.Serialize(best.Params, options) + "\n");
    }
}
