using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Diagnostics;
using Sparta.Onnx;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench predict MODEL</c>: inference time at batch 1 (latency) and 256 (throughput),
/// one thread, beside ONNX Runtime on the same network exported to ONNX, in the same run: the two
/// are timed in alternation, round after round, so both see the same machine load. ONNX Runtime
/// runs in its own process, bench/peers/onnxruntime_predict.cs (Sparta does not depend on it).
/// </summary>
public sealed class BenchPredictCommand : SpartaCommand
{
    private const string PeerFile = "bench/peers/onnxruntime_predict.cs";

    private readonly Argument<string> _model = new("MODEL") { Description = "a model file (.sparta or .onnx)" };
    private readonly Option<string> _batches = OptionFactory.Text("--batches", "batch sizes, comma-separated", "1,256", "B,B");
    private readonly Option<int> _rounds = OptionFactory.Int("--rounds", "alternations of Sparta and ONNX Runtime; the median is printed", 3, 1, 100);
    private readonly Option<double> _seconds = OptionFactory.Double("--seconds", "time budget of each measurement", 2);
    private readonly Option<string?> _peer = OptionFactory.OptionalText("--peer", $"the ONNX Runtime peer (default: {PeerFile} above the working directory)", "FILE.cs");
    private readonly Option<bool> _noPeer = OptionFactory.Flag("--no-peer", "time Sparta alone");
    private readonly Option<bool> _layers = OptionFactory.Flag("--layers",
        "also time each layer (the fastest of its calls and their mean; the means add up to the call's, with the plan's own time before and after the layers) and, with the peer, each node of ONNX Runtime's optimized graph (its profile)");

    public BenchPredictCommand() : base("predict", "Time inference at batch 1 and 256 on one thread, beside ONNX Runtime on the exported model.",
        "sparta bench predict runs/fashion-mnist-mlp-seed0/model.sparta",
        "sparta bench predict model.sparta --batches 1,64,256 --rounds 5 --seconds 1",
        "sparta bench predict model.sparta --layers")
    {
        foreach (var option in new Option[] { _batches, _rounds, _seconds, _peer, _noPeer, _layers }) Add(option);
        Add(_model);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string modelPath = parse.GetValue(_model)!;
        var batches = ParseBatches(parse.GetValue(_batches)!);
        int rounds = parse.GetValue(_rounds);
        double seconds = parse.GetValue(_seconds);
        if (!(seconds > 0)) throw new UsageException($"option --seconds: expected a positive number, got {seconds}");
        string? peer = parse.GetValue(_noPeer) ? null : parse.GetValue(_peer) ?? FindPeer();
        if (peer is not null && !File.Exists(peer)) throw new UsageException($"option --peer: {peer} does not exist");

        var model = ModelLoader.Load(modelPath).Model;
        Parallelism.ThreadCount = 1;
        string onnx = Path.Combine(Path.GetTempPath(), $"sparta-bench-{Environment.ProcessId}.onnx");
        try
        {
            if (peer is not null) OnnxExport.Save(model, onnx);
            foreach (int batch in batches)
            {
                var sparta = new List<InferenceTiming.Timing>();
                var runtime = new List<InferenceTiming.Timing>();
                for (int r = 0; r < rounds; r++)
                {
                    sparta.Add(InferenceTiming.Measure(model, batch, seconds));
                    if (peer is not null) runtime.Add(RunPeer(peer, onnx, batch, seconds));
                }
                output.WriteLine(Line(model.Name, batch, Median(sparta), peer is null ? null : Median(runtime)));
                if (!parse.GetValue(_layers)) continue;
                var breakdown = InferenceTiming.MeasureLayers(model, batch, seconds);
                foreach (var layer in breakdown.Layers)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"layer model={model.Name} batch={batch} name={layer.Layer} type={layer.Type} sparta_ms={layer.Seconds * 1e3:F4} sparta_mean_ms={layer.MeanSeconds * 1e3:F4}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"calls model={model.Name} batch={batch} calls={breakdown.Calls} call_mean_ms={breakdown.Call * 1e3:F4} layers_mean_ms={breakdown.Layers.Sum(l => l.MeanSeconds) * 1e3:F4} before_mean_ms={breakdown.Before * 1e3:F4} after_mean_ms={breakdown.After * 1e3:F4}"));
                if (peer is null) continue;
                foreach (var node in RunPeerNodes(peer, onnx, batch, seconds))
                    output.WriteLine($"node model={model.Name} batch={batch} {node}");
            }
        }
        finally { File.Delete(onnx); }
        return 0;
    }

    /// <summary>
    /// One line per batch size: wall time (ms) and the process's CPU time (cpu_ms) per batch, each
    /// side's; ratio is Sparta's throughput over ONNX Runtime's by wall time (above 1: Sparta is faster).
    /// </summary>
    private static string Line(string model, int batch, InferenceTiming.Timing sparta, InferenceTiming.Timing? runtime)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"predict model={model} batch={batch} threads=1 sparta_ms={sparta.Wall * 1e3:F4} sparta_cpu_ms={sparta.Cpu * 1e3:F4} sparta_samples_per_s={batch / sparta.Wall:F0}");
        return runtime is { } r
            ? line + string.Create(CultureInfo.InvariantCulture,
                $" onnxruntime_ms={r.Wall * 1e3:F4} onnxruntime_cpu_ms={r.Cpu * 1e3:F4} onnxruntime_samples_per_s={batch / r.Wall:F0} ratio={r.Wall / sparta.Wall:F2}")
            : line;
    }

    private static InferenceTiming.Timing RunPeer(string peer, string onnx, int batch, double seconds)
    {
        string line = RunPeerProcess(peer, onnx, batch, seconds, null).LastOrDefault(l => l.StartsWith("onnxruntime ", StringComparison.Ordinal))
            ?? throw new IOException($"the ONNX Runtime peer {peer} printed no timing");
        var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        double Field(string key) => fields.TryGetValue(key, out var value) ? double.Parse(value, CultureInfo.InvariantCulture)
            : throw new IOException($"the ONNX Runtime peer {peer} printed no {key}: {line}");
        return new InferenceTiming.Timing(Field("seconds_per_batch"), Field("cpu_seconds_per_batch"));
    }

    /// <summary>ONNX Runtime's profile of its optimized graph: "name=N op=OP onnxruntime_ms=T" per node, T the fastest of its runs.</summary>
    private static IEnumerable<string> RunPeerNodes(string peer, string onnx, int batch, double seconds) =>
        RunPeerProcess(peer, onnx, batch, seconds, "nodes")
            .Where(l => l.StartsWith("onnxruntime_node ", StringComparison.Ordinal))
            .Select(l => l["onnxruntime_node ".Length..].Split(' ', 3))
            .Select(f => string.Create(CultureInfo.InvariantCulture,
                $"{f[2]} {f[0]} onnxruntime_ms={double.Parse(f[1]["seconds=".Length..], CultureInfo.InvariantCulture) * 1e3:F4}"));

    /// <summary>Runs the peer to its end and returns its output's lines; a failure is an error naming the peer.</summary>
    private static string[] RunPeerProcess(string peer, string onnx, int batch, double seconds, string? mode)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", peer, "--", onnx, batch.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (mode is not null) start.ArgumentList.Add(mode);
        using var process = Process.Start(start) ?? throw new IOException($"cannot start dotnet to run {peer}");
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new IOException($"the ONNX Runtime peer {peer} failed (exit code {process.ExitCode}): {error.Result.Trim()} {text.Trim()}");
        return text.Split('\n', StringSplitOptions.TrimEntries);
    }

    /// <summary>The peer file in the working directory or the nearest directory above it that has one.</summary>
    private static string FindPeer()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, PeerFile);
            if (File.Exists(candidate)) return candidate;
        }
        throw new UsageException($"option --peer: no {PeerFile} in the working directory or above it; give its path, or --no-peer");
    }

    private static int[] ParseBatches(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var batches = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1 ? b
            : throw new UsageException($"option --batches: expected positive integers separated by commas, got '{text}'")).ToArray();
        return batches.Length > 0 ? batches : throw new UsageException($"option --batches: expected at least one batch size, got '{text}'");
    }

    /// <summary>The round with the median wall time.</summary>
    private static InferenceTiming.Timing Median(List<InferenceTiming.Timing> values) => values.OrderBy(t => t.Wall).ElementAt(values.Count / 2);
}
