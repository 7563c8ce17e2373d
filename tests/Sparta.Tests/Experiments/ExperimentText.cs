namespace Sparta.Tests.Experiments;

/// <summary>A small valid experiment on files, as text, for tests to vary.</summary>
internal static class ExperimentText
{
    public const string Small = """
        name: small
        seed: 3
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: x_train.npy, targets: y_train.npy}
          test: {inputs: x_test.npy, targets: y_test.npy}
        model:
          layers:
            - {name: dense, units: 8, activation: relu}
            - {name: dense, units: 3}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: 0.01}
        """;
}
