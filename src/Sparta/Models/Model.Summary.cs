using System.Globalization;
using System.Text;
using Sparta.Tensors;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>
    /// A table in Keras' form (<c>summary(show_trainable=True)</c>): each input and layer with its
    /// output shape (None = the batch), its weight count, whether it trains (Y) or is frozen (N; "-"
    /// without parameters) and what it is connected to; then the totals trainable and non-trainable,
    /// and last one line <c>params total=T trainable=A frozen=F</c> (frozen counts every weight the
    /// optimizer does not update, batch-norm statistics included).
    /// </summary>
    public string Summary()
    {
        var rows = new List<string[]> { new[] { "Layer (type)", "Output Shape", "Param #", "Trainable", "Connected to" } };
        for (int i = 0; i < _graph.InputNames.Count; i++)
            rows.Add([$"{_graph.InputNames[i]} (input)", Batched(_graph.Shapes[i]), "0", "-", ""]);
        var seen = new HashSet<Layers.Layer>(ReferenceEqualityComparer.Instance);
        foreach (var step in _graph.Steps)
        {
            var layer = step.Layer;
            bool first = seen.Add(layer);
            rows.Add([$"{layer.Name} ({layer.TypeName})", Batched(_graph.Shapes[step.Output]),
                first ? Count(layer.ParameterCount) : "(shared)", layer.Parameters.Count == 0 ? "-" : layer.Trainable ? "Y" : "N",
                string.Join(", ", step.Inputs.Select(SlotName))]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length) + 2).ToArray();
        int total = widths.Sum();
        var text = new StringBuilder();
        text.AppendLine($"Model: \"{Name}\"");
        text.AppendLine(new string('=', total));
        for (int r = 0; r < rows.Count; r++)
        {
            text.AppendLine(string.Concat(rows[r].Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (r == 0) text.AppendLine(new string('=', total));
        }
        text.AppendLine(new string('=', total));
        text.AppendLine($"Total params: {Count(TrainableParameterCount + NonTrainableParameterCount)}");
        text.AppendLine($"Trainable params: {Count(TrainableParameterCount)}");
        text.AppendLine($"Non-trainable params: {Count(NonTrainableParameterCount)}");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"params total={TrainableParameterCount + NonTrainableParameterCount} trainable={TrainableParameterCount} frozen={NonTrainableParameterCount}"));
        return text.ToString();
    }

    private string SlotName(int slot) => slot < _graph.InputNames.Count
        ? _graph.InputNames[slot]
        : _graph.Steps.First(s => s.Output == slot).Layer.Name;

    /// <summary>Thousands separated by commas whatever the culture, as Keras prints them.</summary>
    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Batched(Shape shape) => "(None" + string.Concat(shape.ToArray().Select(d => $", {d}")) + ")";
}
