using Sparta.Configuration;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// The start-up trials of the model-based samplers (TPE, GP): random or scrambled Sobol points, the
/// first optionally at the centre of the space. Keys <c>startup</c> (random or sobol) and
/// <c>first_trial</c> (random or centre).
/// </summary>
internal static class StartupSampler
{
    /// <summary>The key <c>startup</c>: <c>random</c> draws or <c>sobol</c> points.</summary>
    public static bool IsSobol(ConfigReader r) => r.Choice("startup", "random", "random", "sobol") == "sobol";

    /// <summary>The key <c>first_trial</c>: <c>random</c> (a start-up draw like the others) or <c>centre</c>.</summary>
    public static bool FirstTrialIsCentre(ConfigReader r) => r.Choice("first_trial", "random", "random", "centre") == "centre";

    public static ISampler Create(ulong seed, bool sobol, bool centreFirst)
    {
        ISampler startup = sobol ? new SobolSampler(seed) : new RandomSampler(seed);
        return centreFirst ? new CentreFirstSampler(startup) : startup;
    }
}
