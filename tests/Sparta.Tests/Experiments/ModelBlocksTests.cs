using Sparta.Data;
using Sparta.Experiments;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

/// <summary>
/// Blocks in the experiment file: a model written with blocks builds the same network, weight for
/// weight, as the same model written out by hand; mistakes name the block, the parameter and the line.
/// </summary>
public class ModelBlocksTests
{
    private static Dataset Images(int channels = 1, int side = 8) =>
        Dataset.Classification([(DatasetRegistry.InputName, Tensor.Zeros(2, channels, side, side))], [0, 1], 10);

    private static Model Build(string model, Dataset? data = null)
    {
        var spec = Experiment.Parse($"data: {{dataset: fashion-mnist}}\nloss: sparse_categorical_crossentropy\nseed: 5\nmodel:\n{model}", "exp.yaml").Spec();
        return ExperimentModel.Build(spec.Model, spec.Seed, data ?? Images());
    }

    /// <summary>Checks the file with <paramref name="model"/> fails with <paramref name="expected"/> in its message.</summary>
    private static void Fails(string expected, string model)
    {
        string message = Assert.Throws<ExperimentException>(() => Experiment.Parse($"data: {{dataset: fashion-mnist}}\nloss: mse\nmodel:\n{model}", "exp.yaml")).Message;
        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in: {message}");
    }

    private const string Residual = """
          inputs: {image: [1, 8, 8]}
          blocks:
            conv_bn:
              parameters: {filters: ~, strides: 1}
              layers:
                - {name: conv2d, filters: $filters, kernel_size: 3, strides: $strides, padding: same, use_bias: false}
                - batch_normalization
            residual:
              parameters: [filters]
              layers:
                - {block: conv_bn, filters: $filters}
                - {name: activation, activation: relu}
                - {id: second, block: conv_bn, filters: $filters}
                - {name: add, inputs: [second, input]}
                - {name: activation, activation: relu}
          layers:
            - {block: conv_bn, filters: 4}
            - {repeat: 2, layer: {block: residual, filters: 4}}
            - {id: features, name: global_average_pooling2d}
            - {name: dense, units: 3}
        """;

    /// <summary>The expansion the docs describe, written by hand: ids prefixed by each use, the block's input named.</summary>
    private const string ResidualByHand = """
          inputs: {image: [1, 8, 8]}
          layers:
            - {name: conv2d, filters: 4, kernel_size: 3, strides: 1, padding: same, use_bias: false}
            - {id: layer_1, name: batch_normalization}
            - {name: conv2d, filters: 4, kernel_size: 3, strides: 1, padding: same, use_bias: false}
            - batch_normalization
            - {name: activation, activation: relu}
            - {name: conv2d, filters: 4, kernel_size: 3, strides: 1, padding: same, use_bias: false}
            - {id: residual_1_second, name: batch_normalization}
            - {name: add, inputs: [residual_1_second, layer_1]}
            - {id: layer_8, name: activation, activation: relu}
            - {name: conv2d, filters: 4, kernel_size: 3, strides: 1, padding: same, use_bias: false}
            - batch_normalization
            - {name: activation, activation: relu}
            - {name: conv2d, filters: 4, kernel_size: 3, strides: 1, padding: same, use_bias: false}
            - {id: residual_2_second, name: batch_normalization}
            - {name: add, inputs: [residual_2_second, layer_8]}
            - {name: activation, activation: relu}
            - {id: features, name: global_average_pooling2d}
            - {name: dense, units: 3}
        """;

    [Fact]
    public void AResidualBlockRepeatedBuildsTheNetworkWrittenOutByHand()
    {
        var withBlocks = Build(Residual);
        var byHand = Build(ResidualByHand);
        Assert.Equal(byHand.Layers.Select(l => (l.Name, l.GetConfig())), withBlocks.Layers.Select(l => (l.Name, l.GetConfig())));
        var x = Tensor.FromArray(Enumerable.Range(0, 128).Select(i => MathF.Sin(i)).ToArray(), 2, 1, 8, 8);
        Assert.Equal(byHand.Forward(x).ToArray(), withBlocks.Forward(x).ToArray());
        Assert.Equal(2, withBlocks.Layers.OfType<Sparta.Layers.Add>().Count());
    }

    [Fact]
    public void AnInceptionStyleBlockWritesItsBranchesOnceAndTakesItsInputsByName()
    {
        var model = Build("""
              inputs: {image: [2, 8, 8], mask: [2, 8, 8]}
              blocks:
                mixed:
                  parameters: {width: 4}
                  inputs: [left, right]
                  layers:
                    - {id: one, name: conv2d, filters: $width, kernel_size: 1, inputs: left}
                    - {id: three, name: conv2d, filters: $width, kernel_size: [1, 3], padding: same, inputs: right}
                    - {id: pool, name: average_pooling2d, pool_size: 3, strides: 1, padding: same, inputs: left}
                    - {name: concatenate, axis: 1, inputs: [one, three, pool]}
              layers:
                - {id: a, block: mixed, inputs: [image, mask]}
                - {id: b, block: mixed, width: 2, inputs: [a, image]}
                - global_average_pooling2d
            """, Dataset.Classification([("image", Tensor.Zeros(1, 2, 8, 8)), ("mask", Tensor.Zeros(1, 2, 8, 8))], [0], 2));
        long first = (2 * 4 + 4) + (2 * 3 * 4 + 4);   // 1x1 on 2 channels, 1x3 on 2 channels
        long second = (10 * 2 + 2) + (2 * 3 * 2 + 2); // the first block's 4 + 4 + 2 channels, then the image's 2
        Assert.Equal(first + second, model.TrainableParameterCount);
        Assert.Equal([2 + 2 + 10], model.OutputShape.ToArray());
        Assert.Contains(model.Layers, l => l.Name == "b_one");
    }

    [Fact]
    public void ABlockInASequentialModelIsAListOfLayersWithParameters()
    {
        var model = Build("""
              blocks:
                hidden: {parameters: {units: ~, activation: relu}, layers: [{name: dense, units: $units, activation: $activation}, {name: dropout, rate: 0.1}]}
              layers:
                - flatten
                - {block: hidden, units: 16}
                - {block: hidden, units: 8, activation: tanh}
                - {name: dense, units: 10}
            """);
        Assert.Equal(64 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10, model.TrainableParameterCount);
    }

    [Fact]
    public void MistakesNameTheBlockTheParameterAndTheLine()
    {
        Fails("exp.yaml: model.layers.1.filtrs: block 'residual' (line 21) has no parameter 'filtrs'; did you mean 'filters'",
            Residual.Replace("{block: residual, filters: 4}", "{block: residual, filtrs: 4}"));
        Fails("model.layers.0: block 'conv_bn' (line 20) needs parameter 'filters' (it has no default)",
            Residual.Replace("{block: conv_bn, filters: 4}", "{block: conv_bn}"));
        Fails("model.blocks.conv_bn.layers.0.filters: block 'conv_bn' (line 9) has no parameter 'filter'; did you mean 'filters'",
            Residual.Replace("filters: $filters, kernel_size: 3, strides", "filters: $filter, kernel_size: 3, strides"));
        Fails("model.layers.0.block: unknown block 'conv_nb' (line 20); did you mean 'conv_bn'",
            Residual.Replace("{block: conv_bn, filters: 4}", "{block: conv_nb, filters: 4}"));
        Fails("model.blocks.conv_bn.layers.0: layer 'conv2d': filters must be at least 1, got -4",
            Residual.Replace("{block: conv_bn, filters: 4}", "{block: conv_bn, filters: -4}"));
        Fails("(block 'conv_bn' used at model.layers.0 (line 20))",
            Residual.Replace("{block: conv_bn, filters: 4}", "{block: conv_bn, filters: -4}"));
        Fails("model.blocks.residual.layers.3.inputs: block 'residual': 'inptu' is neither an input of the block nor an earlier layer's id in it",
            Residual.Replace("[second, input]", "[second, inptu]"));
    }
}
