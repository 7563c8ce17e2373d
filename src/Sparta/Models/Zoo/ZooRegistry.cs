using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// The zoo by registered name, for <c>model: {zoo: resnet18, classes: 10}</c>: each entry reads its
/// options (checked, unknown keys named) into a recipe, which builds the model once the input shape
/// is known (the file's <c>input_shape</c>, else the data's), so reading a file builds nothing big.
/// </summary>
public static class ZooRegistry
{
    /// <summary>Builds the model for an image input shape (null: the architecture's own default), with a name and a seed.</summary>
    public delegate Model Recipe(int[]? inputShape, string name, ulong seed);

    public static Registry<Recipe> Registry { get; } = Build();

    public static Recipe Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<Recipe> Build()
    {
        var registry = new Registry<Recipe>("zoo model");
        registry.Register("lenet5", r =>
        {
            var (classes, top, resize) = Common(r, 10);
            return (shape, name, seed) => Zoo.LeNet5(shape, classes, top, resize, name, seed);
        });
        registry.Register("lenet_variant", r =>
        {
            var (outputs, top, resize) = Common(r, 1, "outputs");
            string? second = r.Raw("second_input") is { } s ? Text(s, "second_input", r) : null;
            if (second is not null && !top) throw new ArgumentException($"zoo 'lenet_variant': second_input '{second}' joins the classifier; it needs include_top true");
            return (shape, name, seed) => Zoo.LeNetVariant(shape, outputs, top, second, resize, name, seed);
        });
        registry.Register("bone_age", r =>
        {
            string backbone = r.Choice("backbone", "lenet_variant", Zoo.BoneAgeBackbones);
            int outputs = Positive(r.Int("outputs", 1), "outputs");
            string second = r.Raw("second_input") is { } s ? Text(s, "second_input", r) : "sex";
            var resize = Resize(r);
            return (shape, name, seed) => Zoo.BoneAge(backbone, shape, outputs, second, resize, name, seed);
        });
        registry.Register("inception_v4", r =>
        {
            var (classes, top, resize) = Common(r, 1000);
            double width = r.Double("width", 1);
            if (!(width > 0 && width <= 4))
                throw new ConfigKeyException($"zoo 'inception_v4': width must be in (0, 4], got {width}", "width", $"must be in (0, 4], got {width}");
            return (shape, name, seed) => Zoo.InceptionV4(shape, classes, top, resize, name, seed, width);
        });
        Classifier(registry, "resnet18", Zoo.ResNet18);
        Classifier(registry, "resnet34", Zoo.ResNet34);
        Classifier(registry, "vgg11", Zoo.Vgg11);
        Classifier(registry, "vgg16", Zoo.Vgg16);
        return registry;
    }

    private delegate Model Architecture(int[]? inputShape, int classes, bool includeTop, Size2D? resize, string name, ulong seed);

    private static void Classifier(Registry<Recipe> registry, string name, Architecture architecture) => registry.Register(name, r =>
    {
        var (classes, top, resize) = Common(r, 1000);
        return (shape, modelName, seed) => architecture(shape, classes, top, resize, modelName, seed);
    });

    /// <summary>The options every zoo model takes: its number of classes (or outputs), include_top (true) and resize (none).</summary>
    private static (int Classes, bool IncludeTop, Size2D? Resize) Common(ConfigReader r, int classes, string key = "classes") =>
        (Positive(r.Int(key, classes), key), r.Bool("include_top", true), Resize(r));

    private static Size2D? Resize(ConfigReader r) => r.Has("resize") ? r.Size2D("resize", 1).CheckPositive("resize", r.Owner) : null;

    private static int Positive(int value, string key) =>
        value >= 1 ? value : throw new ConfigKeyException($"zoo: {key} must be at least 1, got {value}", key, $"must be at least 1, got {value}");

    private static string Text(object value, string key, ConfigReader r) =>
        value as string ?? throw new ConfigKeyException($"{r.Owner}: {key} must be a name, got {value}", key, $"must be a name, got {value}");
}
