#:package Microsoft.ML.OnnxRuntime@1.32.0
// ONNX Runtime's inference time on an ONNX file, one thread: the peer of `sparta bench predict`.
// usage: dotnet run bench/peers/onnxruntime_predict.cs -- MODEL.onnx BATCH SECONDS
// Prints "onnxruntime batch=B seconds_per_batch=S cpu_seconds_per_batch=C": the median of five
// timings (by wall time, with the process's processor time over the same calls), each of as many
// calls as fill SECONDS/5, after one such warm-up, on inputs of 0.5 shaped as the file declares.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string path = args[0];
int batch = int.Parse(args[1], CultureInfo.InvariantCulture);
double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
using var session = new InferenceSession(path, options);
var inputs = session.InputMetadata.Select(p =>
{
    int[] dims = [batch, .. p.Value.Dimensions.Skip(1)];
    var values = new float[dims.Aggregate(1, (a, d) => a * d)];
    Array.Fill(values, 0.5f);
    return NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<float>(values, dims));
}).ToList();

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
