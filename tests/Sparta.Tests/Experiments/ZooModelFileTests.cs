using Sparta.Data;
using Sparta.Experiments;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

/// <summary><c>model: {zoo: NAME, ...}</c> builds the architecture <see cref="Zoo"/> builds in C#, and rejects bad options by key.</summary>
public class ZooModelFileTests
{
    private static Experiment Parse(string model) =>
        Experiment.Parse($"data: {{dataset: fashion-mnist}}\nloss: sparse_categorical_crossentropy\nseed: 3\nmodel: {model}\n", "exp.yaml");

    private static Model Build(string model, Dataset data)
    {
        var spec = Parse(model).Spec();
        return ExperimentModel.Build(spec.Model, spec.Seed, data);
    }

    private static Dataset Images(int side) => Dataset.Classification([(DatasetRegistry.InputName, Tensor.Zeros(1, 1, side, side))], [0], 10);

    [Fact]
    public void AZooModelTakesTheDataShapeAndGivesTheCSharpModelsWeights()
    {
        var fromFile = Build("{zoo: resnet18, classes: 10}", Images(28));
        var inCode = Zoo.ResNet18([1, 28, 28], 10, name: "exp", seed: 3);
        Assert.Equal(inCode.TrainableParameterCount, fromFile.TrainableParameterCount);
        Assert.Equal("exp", fromFile.Name);
        var x = Tensor.FromArray(Enumerable.Range(0, 784).Select(i => MathF.Cos(i)).ToArray(), 1, 1, 28, 28);
        Assert.Equal(inCode.Forward(x).ToArray(), fromFile.Forward(x).ToArray());
    }

    [Fact]
    public void OptionsReachTheArchitecture()
    {
        var vgg = Build("{zoo: vgg11, input_shape: [1, 28, 28], resize: 32, classes: 10, include_top: false}", Images(28));
        Assert.Equal([512, 1, 1], vgg.OutputShape.ToArray());
        var boneAge = Build("{zoo: bone_age, second_input: gender}",
            new Dataset([("image", Tensor.Zeros(1, 1, 32, 32)), ("gender", Tensor.Zeros(1, 1))], Tensor.Zeros(1, 1)));
        Assert.Equal(["image", "gender"], boneAge.InputNames);
    }

    [Fact]
    public void BadOptionsAreOneLineNamingTheKey()
    {
        Assert.Contains("exp.yaml: model.clases: unknown key; did you mean 'classes'",
            Assert.Throws<ExperimentException>(() => Parse("{zoo: resnet18, clases: 10}")).Message);
        Assert.Contains("exp.yaml: model.zoo: unknown zoo model 'resnet19'; did you mean 'resnet18'",
            Assert.Throws<ExperimentException>(() => Parse("{zoo: resnet19}")).Message);
        Assert.Contains("exp.yaml: model.classes: must be at least 1, got 0",
            Assert.Throws<ExperimentException>(() => Parse("{zoo: vgg16, classes: 0}")).Message);
        Assert.Contains("exp.yaml: model.backbone: must be one of lenet_variant, inception_v4, got 'vgg16'",
            Assert.Throws<ExperimentException>(() => Parse("{zoo: bone_age, backbone: vgg16}")).Message);
        Assert.Contains("exp.yaml: model.layers: a zoo model brings its own layers and inputs; remove 'layers'",
            Assert.Throws<ExperimentException>(() => Parse("{zoo: lenet5, layers: [flatten]}")).Message);
    }
}
