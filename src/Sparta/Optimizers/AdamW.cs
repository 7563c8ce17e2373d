using Sparta.Configuration;
using Sparta.Schedules;

namespace Sparta.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter 2019): x −= lr·wd·x before the Adam
/// step, instead of an L2 term in the gradient that Adam's scaling would distort. Default decay
/// 0.004 (Keras).
/// </summary>
public sealed class AdamW : Adam
{
    public new const string RegisteredName = "adamw";
    public const double DefaultWeightDecay = 0.004;

    public AdamW(LearningRateSchedule? learningRate = null, double weightDecay = DefaultWeightDecay, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-7, bool biasCorrection = true, OptimizerOptions? options = null)
        : base(learningRate, beta1, beta2, epsilon, biasCorrection, (options ?? new OptimizerOptions()) with { WeightDecay = weightDecay })
    {
    }

    public override string Name => RegisteredName;

    internal static new AdamW FromConfig(ConfigReader r)
    {
        var options = OptimizerOptions.Read(r, DefaultWeightDecay);
        return new AdamW(ScheduleRegistry.Read(r, "learning_rate", 0.001), options.WeightDecay, r.Double("beta_1", 0.9),
            r.Double("beta_2", 0.999), r.Double("epsilon", 1e-7), r.Bool("bias_correction", true), options);
    }
}
