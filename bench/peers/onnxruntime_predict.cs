#:package Microsoft.ML.OnnxRuntime@1.32.0
// ONNX Runtime's inference time on an ONNX file, one thread: the peer of `sparta bench predict`.
// usage: dotnet run bench/peers/onnxruntime_predict.cs -- MODEL.onnx BATCH SECONDS [nodes]
// Prints "onnxruntime batch=B seconds_per_batch=S cpu_seconds_per_batch=C": the median of five
// timings (by wall time, with the process's processor time over the same calls), each of as many
// calls as fill SECONDS/5, after one such warm-up, on inputs of 0.5 shaped as the file declares.
// With "nodes": ONNX Runtime's own profile of calls for SECONDS instead, one line per node of the
// optimized graph, "onnxruntime_node op=OP seconds=S name=N", S the fastest of its runs (N last: it may hold spaces).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string path = args[0];
int batch = int.Parse(args[1], CultureInfo.InvariantCulture);
double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
bool nodes = args.Length > 3 && args[3] == "nodes";
using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
if (nodes)
{
    options.EnableProfiling = true;
    options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), $"onnxruntime-profile-{Environment.ProcessId}");
}
using var session = new InferenceSession(path, options);
var inputs = session.InputMetadata.Select(p =>
{
    int[] dims = [batch, .. p.Value.Dimensions.Skip(1)];
    var values = new float[dims.Aggregate(1, (a, d) => a * d)];
    Array.Fill(values, 0.5f);
    return NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<float>(values, dims));
}).ToList();

if (nodes)
{
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    do { using (session.Run(inputs)) { } } while (Stopwatch.GetTimestamp() < until);
    string profile = session.EndProfiling();
    var fastest = new Dictionary<string, (string Op, long Microseconds)>();
    using (var document = JsonDocument.Parse(File.ReadAllText(profile)))
        foreach (var e in document.RootElement.EnumerateArray())
        {
            string name = e.GetProperty("name").GetString() ?? "";
            if (e.GetProperty("cat").GetString() != "Node" || !name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            string node = name[..^"_kernel_time".Length], op = e.GetProperty("args").GetProperty("op_name").GetString() ?? "";
            long duration = e.GetProperty("dur").GetInt64();
            if (!fastest.TryGetValue(node, out var seen) || duration < seen.Microseconds) fastest[node] = (op, duration);
        }
    File.Delete(profile);
    foreach (var (node, (op, microseconds)) in fastest)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnxruntime_node op={op} seconds={microseconds * 1e-6:G6} name={node}"));
    return;
}

using var process = Process.GetCurrentProcess();
(double Wall, double Cpu) Time(int calls)
{
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < calls; i++) using (session.Run(inputs)) { }
    double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
}

int callsPerTiming = 1;
while (Time(callsPerTiming).Wall < seconds / 5) callsPerTiming *= 2;
var timings = Enumerable.Range(0, 5).Select(_ => Time(callsPerTiming)).OrderBy(t => t.Wall).ToArray();
var (medianWall, medianCpu) = timings[2];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"onnxruntime batch={batch} seconds_per_batch={medianWall / callsPerTiming:G6} cpu_seconds_per_batch={medianCpu / callsPerTiming:G6}"));
