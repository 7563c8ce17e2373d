using Sparta.Data.Loaders;

namespace Sparta.Data;

/// <summary>
/// Datasets known by name (<c>dataset: fashion-mnist</c> in an experiment file), found where their
/// Debian package installs them. The directories searched are <c>$SPARTA_DATASETS</c> (colon
/// separated, each holding the set's <see cref="Entry.Subdirectory"/>) and then the package's own
/// directory; a missing set names the package that provides it.
/// </summary>
public static class DatasetRegistry
{
    /// <summary>
    /// A named set: the Debian package and directory it comes from, a file whose presence marks it
    /// installed, whether it has a test split of its own (else everything is <c>train</c>), the name of
    /// its one input (<see cref="InputName"/> for images, <see cref="TabularInputName"/> for tables), and its reader.
    /// </summary>
    public sealed record Entry(string Name, string Package, string Subdirectory, string PackageDirectory, string Marker,
        bool HasTestSplit, int ClassCount, IReadOnlyList<string>? ClassNames, string Description, string Input, Func<string, string, Dataset> Read);

    /// <summary>The input name of the image sets.</summary>
    public const string InputName = "image";

    /// <summary>The input name of the tabular sets (as a file given without a name).</summary>
    public const string TabularInputName = "input";

    private const string SklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    private static readonly Entry[] Entries =
    [
        new("fashion-mnist", "dataset-fashion-mnist", "fashion-mnist", "/usr/share/datasets/fashion-mnist", IdxName("train", "images"), true, 10,
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            "60,000 training and 10,000 test images (1×28×28, values 0..255), 10 classes", InputName, ReadIdx),
        new("breast_cancer", "python3-sklearn", "sklearn", SklearnData, "breast_cancer.csv", false, 2, ["malignant", "benign"],
            "569 tumours, 30 real features each; 0 malignant, 1 benign", TabularInputName, (d, _) => SklearnDatasets.BreastCancer(d)),
        new("diabetes", "python3-sklearn", "sklearn", SklearnData, "diabetes_data_raw.csv.gz", false, 0, null,
            "442 patients, 10 features (age, sex, bmi, bp, six blood serum values) as measured; the target is the disease's progression a year later", TabularInputName, (d, _) => SklearnDatasets.Diabetes(d)),
        new("digits", "python3-sklearn", "sklearn", SklearnData, "digits.csv.gz", false, 10, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            "1,797 handwritten digits (1×8×8, values 0..16), 10 classes", InputName, (d, _) => SklearnDatasets.Digits(d)),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    public static Entry Find(string name) => Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"dataset '{name}' is unknown (known: {string.Join(", ", Names)})", nameof(name));

    /// <summary>Whether <paramref name="name"/> has the split <paramref name="split"/> (<c>test</c> only for sets that ship one).</summary>
    public static bool HasSplit(string name, string split) => split == "train" || (split == "test" && Find(name).HasTestSplit);

    /// <summary>The directory holding <paramref name="name"/>'s files; fails naming the Debian package to install.</summary>
    public static string Locate(string name)
    {
        var entry = Find(name);
        return Locate(entry, Directories(entry, CustomRoots()).Append(entry.PackageDirectory));
    }

    /// <summary>Searches <paramref name="roots"/> only (each holding the set's subdirectory).</summary>
    internal static string Locate(string name, IEnumerable<string> roots) => Locate(Find(name), Directories(Find(name), roots));

    private static IEnumerable<string> Directories(Entry entry, IEnumerable<string> roots) => roots.Select(root => Path.Combine(root, entry.Subdirectory));

    private static string Locate(Entry entry, IEnumerable<string> directories)
    {
        string name = entry.Name;
        var searched = directories.ToList();
        foreach (string directory in searched)
            if (File.Exists(Path.Combine(directory, entry.Marker)))
                return directory;
        throw new FileNotFoundException(
            $"dataset '{name}' not found in {string.Join(" or ", searched)}: install the Debian package {entry.Package} (apt-get install {entry.Package})");
    }

    /// <summary>
    /// Loads split <c>train</c> or <c>test</c>: the image sets as NCHW images of their raw values and
    /// labels, the tabular ones as (samples, features) and labels or regression targets. A set without
    /// a test split of its own is all <c>train</c> (split it with <c>data.test_split</c>).
    /// </summary>
    public static Dataset Load(string name, string split = "train") => Load(name, split, () => Locate(name));

    internal static Dataset Load(string name, string split, IEnumerable<string> roots) => Load(name, split, () => Locate(name, roots));

    private static Dataset Load(string name, string split, Func<string> locate)
    {
        if (split is not ("train" or "test")) throw new ArgumentException($"dataset '{name}': split must be 'train' or 'test', got '{split}'", nameof(split));
        var entry = Find(name);
        if (!HasSplit(name, split))
            throw new ArgumentException($"dataset '{name}' has no test split of its own: all its samples are 'train' (hold a test set out with data.test_split)", nameof(split));
        return entry.Read(locate(), split);
    }

    private static Dataset ReadIdx(string directory, string split)
    {
        string imagesPath = Path.Combine(directory, IdxName(split, "images"));
        string labelsPath = Path.Combine(directory, IdxName(split, "labels"));
        var images = IdxFile.ReadTensor(imagesPath);
        if (images.Rank != 3) throw new DataFileException(imagesPath, "byte 3", $"expected 3 dimensions (images, rows, columns), got shape {images.Shape}");
        int[] labels = IdxFile.ReadLabels(labelsPath, 10);
        if (labels.Length != images.Shape[0])
            throw new DataFileException(labelsPath, "byte 4", $"{labels.Length} labels for {images.Shape[0]} images in {imagesPath}");
        var nchw = images.Reshape(images.Shape[0], 1, images.Shape[1], images.Shape[2]);
        return Dataset.Classification([(InputName, nchw)], labels, 10);
    }

    private static string IdxName(string split, string kind) => $"{(split == "train" ? "train" : "t10k")}-{kind}-idx{(kind == "images" ? 3 : 1)}-ubyte.gz";

    private static IEnumerable<string> CustomRoots()
    {
        string? custom = Environment.GetEnvironmentVariable("SPARTA_DATASETS");
        return string.IsNullOrEmpty(custom) ? [] : custom.Split(':', StringSplitOptions.RemoveEmptyEntries);
    }
}
