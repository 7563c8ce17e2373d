using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Tuning;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;

// Label 1 when x1 + x2 > 0: a small dense network learns it.
var random = new RandomGenerator(1);
var x = Tensor.Zeros(256, 2);
random.FillNormal(x.Span, 0, 1);
var labels = Enumerable.Range(0, 256).Select(i => x.Span[2 * i] + x.Span[2 * i + 1] > 0 ? 1 : 0).ToArray();
var data = Dataset.Classification([("input", x)], labels, 2);
var model = new Sequential([2], [new Dense(8, "relu"), new Dense(2)], "toy", 1);
var trainer = model.Compile(new Adam(0.05), "sparse_categorical_crossentropy", "accuracy");
var history = trainer.Fit(data, epochs: 20, batchSize: 32, verbose: false);
Console.WriteLine($"accuracy={history["accuracy"][^1]:F3}");
var study = Study.Create(sampler: new TpeSampler(seed: 1));
study.Optimize(t => Math.Pow(t.SuggestFloat("x", -5, 5) - 2, 2), 20);
Console.WriteLine($"best x={study.BestParams["x"]} value={study.BestValue}");
// Without the Sparta.Tuning.PostgreSql package, a PostgreSQL URL says which package it needs.
try { StorageUrl.Open("postgresql://user:secret@127.0.0.1:1/studies"); }
catch (ArgumentException e) { Console.WriteLine($"postgres={e.Message}"); }
