using System.Globalization;
using Sparta.Serialization;

namespace Sparta.Experiments;

/// <summary>
/// <c>sparta train EXP.yaml --resume RUN_DIR|CHECKPOINT</c>: finds the checkpoint and checks that
/// it continues this experiment, which may change only its number of epochs.
/// </summary>
public static class Resumption
{
    /// <summary>
    /// The checkpoint (with its <see cref="SavedModel.Checkpoint"/> training state) of <paramref name="runOrCheckpoint"/> (a run directory's model.sparta, or a
    /// checkpoint file) for <paramref name="experiment"/>: fails naming the first key whose value
    /// differs from the experiment the checkpoint was trained from, or when the epochs asked are
    /// fewer than those already trained.
    /// </summary>
    public static SavedModel Open(string runOrCheckpoint, Experiment experiment)
    {
        string path = RunDirectory.ModelPath(runOrCheckpoint);
        var saved = ModelLoader.Load(path);
        var checkpoint = saved.Checkpoint
            ?? throw new ModelFileException(path, "holds no training state to resume from (it was saved from a model, not from a run or checkpoint)");
        if (saved.Experiment is { } trained && trained.FirstDifference(experiment, "epochs") is { } key)
            throw new ExperimentException(experiment.File, key, $"differs from the experiment of the run being resumed ('{path}'); a resumed run may change only epochs");
        var spec = experiment.Spec();
        int restoring = spec.Callbacks.ToList().FindIndex(c => c.Name == "early_stopping" && c.Parameters.GetValueOrDefault("restore_best_weights") is true);
        if (restoring >= 0)
            throw new ExperimentException(experiment.File, $"callbacks.{restoring}.restore_best_weights",
                $"cannot resume exactly: '{path}' holds the best epoch's weights, not the last epoch's the run would continue from; train from the start, or resume without restore_best_weights");
        int epochs = spec.Epochs;
        if (epochs < checkpoint.Epoch)
            throw new ExperimentException(experiment.File, "epochs",
                string.Create(CultureInfo.InvariantCulture, $"is {epochs}, but '{path}' has already trained {checkpoint.Epoch} epochs; give the total number of epochs (--epochs N with N >= {checkpoint.Epoch})"));
        return saved;
    }
}
