using Sparta.Experiments;

namespace Sparta.Configuration;

/// <summary>
/// Turns a component's failure into one line about the key at fault, phrased for where the config
/// came from: an experiment file names <c>search.sampler.startup_trials</c>, the command line names
/// its option. <c>fail(key, problem, inner)</c> receives the key relative to the component
/// (<c>name</c> for an unknown name, <c>""</c> when the problem is the whole component).
/// </summary>
public static class ConfigProblems
{
    public delegate Exception Reporter(string key, string problem, Exception? inner);

    /// <summary>The component <paramref name="config"/> describes; an unknown name or key gets "did you mean".</summary>
    public static T Create<T>(Registry<T> registry, ComponentConfig config, Reporter fail)
    {
        if (!registry.Contains(config.Name))
            throw fail("name", $"unknown {registry.Kind} '{config.Name}'; {Suggest.Names(config.Name, registry.Names)}", null);
        T component = default!;
        Check(() => component = registry.Create(config), fail);
        return component;
    }

    /// <summary>Runs <paramref name="check"/>; a bad key or value it reports becomes <paramref name="fail"/>'s exception.</summary>
    public static void Check(Action check, Reporter fail)
    {
        try { check(); }
        catch (ConfigKeyException e)
        {
            string problem = e.KnownKeys is null ? e.Problem : $"unknown key; {Suggest.Keys(e.Key, e.KnownKeys)}";
            throw fail(e.Key, problem, e);
        }
        catch (ArgumentException e) when (e is not ExperimentException) { throw fail("", e.Message, e); }
    }
}
