using Sparta.Configuration;

namespace Sparta.Losses;

/// <summary>Losses by registered name (Keras' names; "mse", "mae", "cosine" and "kld" are aliases).</summary>
public static class LossRegistry
{
    public static Registry<Loss> Registry { get; } = Build();

    public static Loss Create(string name) => Registry.Create(name);

    public static Loss Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<Loss> Build()
    {
        var registry = new Registry<Loss>("loss");
        void Add(string[] names, Func<ConfigReader, Loss> create)
        {
            foreach (string name in names) registry.Register(name, create);
        }
        Add(["mean_squared_error", "mse"], _ => new MeanSquaredError());
        Add(["mean_absolute_error", "mae"], _ => new MeanAbsoluteError());
        Add(["huber"], r => new Huber(r.Double("delta", 1)));
        Add(["categorical_crossentropy"], r => new CategoricalCrossEntropy(r.Bool("from_logits", true)));
        Add(["sparse_categorical_crossentropy"], r => new SparseCategoricalCrossEntropy(r.Bool("from_logits", true)));
        Add(["binary_crossentropy"], r => new BinaryCrossEntropy(r.Bool("from_logits", true)));
        Add(["hinge"], _ => new Hinge());
        Add(["kl_divergence", "kld"], _ => new KLDivergence());
        Add(["cosine_similarity", "cosine"], _ => new CosineSimilarity());
        return registry;
    }
}
