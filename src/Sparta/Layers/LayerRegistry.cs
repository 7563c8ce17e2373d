using Sparta.Configuration;

namespace Sparta.Layers;

/// <summary>
/// Layers by registered name. Every layer config may also carry <c>trainable: false</c> (a frozen
/// layer), read here for all of them.
/// </summary>
public static class LayerRegistry
{
    public static Registry<Layer> Registry { get; } = Build();

    public static Layer Create(string name) => Registry.Create(name);

    public static Layer Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<Layer> Build()
    {
        var registry = new Registry<Layer>("layer");
        void Add(string name, Func<ConfigReader, Layer> create) => registry.Register(name, r =>
        {
            var layer = create(r);
            layer.Trainable = r.Bool("trainable", true);
            return layer;
        });
        Add(Dense.RegisteredName, Dense.FromConfig);
        Add(Conv2D.RegisteredName, Conv2D.FromConfig);
        Add(MaxPool2D.RegisteredName, MaxPool2D.FromConfig);
        Add(AveragePooling2D.RegisteredName, AveragePooling2D.FromConfig);
        Add(Flatten.RegisteredName, Flatten.FromConfig);
        Add(Reshape.RegisteredName, Reshape.FromConfig);
        Add(Dropout.RegisteredName, Dropout.FromConfig);
        Add(ActivationLayer.RegisteredName, ActivationLayer.FromConfig);
        Add(GlobalAveragePooling2D.RegisteredName, GlobalAveragePooling2D.FromConfig);
        Add(BatchNormalization.RegisteredName, BatchNormalization.FromConfig);
        Add(Concatenate.RegisteredName, Concatenate.FromConfig);
        Add(Layers.Add.RegisteredName, Layers.Add.FromConfig);
        Add(Onnx.OnnxNode.RegisteredName, Onnx.OnnxNode.FromConfig);
        Add(ZeroPadding2D.RegisteredName, ZeroPadding2D.FromConfig);
        Add(Resizing.RegisteredName, Resizing.FromConfig);
        return registry;
    }
}
