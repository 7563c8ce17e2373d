using Sparta.Configuration;

namespace Sparta.Metrics;

/// <summary>
/// Metrics by registered name (Keras' long names such as "mean_squared_error" are accepted and come
/// back under the short name).
/// </summary>
public static class MetricRegistry
{
    public static Registry<Metric> Registry { get; } = Build();

    public static Metric Create(ComponentConfig config) => Registry.Create(config);

    public static Metric Create(string name) => Registry.Create(name);

    private static Registry<Metric> Build()
    {
        var registry = new Registry<Metric>("metric");
        foreach (string name in Accuracy.Names) registry.Register(name, r => Accuracy.FromConfig(name, r));
        registry.Register("precision", Precision.FromConfig);
        registry.Register("recall", Recall.FromConfig);
        registry.Register("f1", F1Score.FromConfig);
        registry.Register("iou", MeanIoU.FromConfig);
        registry.Register("mean_iou", MeanIoU.FromConfig);
        registry.Register(MeanAveragePrecision.RegisteredName, _ => new MeanAveragePrecision());
        registry.Register("mean_average_precision", _ => new MeanAveragePrecision());
        var errors = new (string Short, string Long)[] { ("mse", "mean_squared_error"), ("mae", "mean_absolute_error"), ("rmse", "root_mean_squared_error") };
        foreach (var (shortName, longName) in errors)
        {
            registry.Register(shortName, _ => new ErrorMetric(shortName));
            registry.Register(longName, _ => new ErrorMetric(shortName));
        }
        registry.Register(Mase.RegisteredName, Mase.FromConfig);
        registry.Register(R2Score.RegisteredName, _ => new R2Score());
        registry.Register(ConcordanceCorrelation.RegisteredName, _ => new ConcordanceCorrelation());
        return registry;
    }
}
