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

    public BenchPredictCommand() : base("predict", "Time inference at batch 1 and 256 on one thread, beside ONNX Runtime on the exported model.",
        "sparta bench predict runs/fashion-mnist-mlp-seed0/model.sparta",
        "sparta bench predict model.sparta --batches 1,64,256 --rounds 5 --seconds 1")
    {
        foreach (var option in new Option[] { _batches, _rounds, _seconds, _peer, _noPeer }) Add(option);
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
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", peer, "--", onnx, batch.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new IOException($"cannot start dotnet to run {peer}");
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = text.Split('\n').LastOrDefault(l => l.StartsWith("onnxruntime ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new IOException($"the ONNX Runtime peer {peer} failed (exit code {process.ExitCode}): {error.Result.Trim()} {text.Trim()}");
        var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        double Field(string key) => fields.TryGetValue(key, out var value) ? double.Parse(value, CultureInfo.InvariantCulture)
            : throw new IOException($"the ONNX Runtime peer {peer} printed no {key}: {line}");
        return new InferenceTiming.Timing(Field("seconds_per_batch"), Field("cpu_seconds_per_batch"));
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
