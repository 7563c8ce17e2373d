using Sparta.Data.Loaders;

namespace Sparta.Data;

/// <summary>
/// Datasets known by name (<c>dataset: fashion-mnist</c> in an experiment file), found where their
/// Debian package installs them. The directories searched are <c>$SPARTA_DATASETS</c> (colon
/// separated) and then /usr/share/datasets; a missing set names the package that provides it.
/// </summary>
public static class DatasetRegistry
{
    /// <summary>An IDX image set: train and test images and labels, gzipped, in one directory.</summary>
    public sealed record Entry(string Name, string Package, string Directory, int ClassCount, IReadOnlyList<string> ClassNames);

    public const string InputName = "image";

    private static readonly Entry[] Entries =
    [
        new("fashion-mnist", "dataset-fashion-mnist", "fashion-mnist", 10,
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]),
    ];

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    public static Entry Find(string name) => Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"dataset '{name}' is unknown (known: {string.Join(", ", Names)})", nameof(name));

    /// <summary>The directory holding <paramref name="name"/>'s files; fails naming the Debian package to install.</summary>
    public static string Locate(string name) => Locate(name, SearchDirectories());

    internal static string Locate(string name, IEnumerable<string> roots)
    {
        var entry = Find(name);
        var searched = roots.Select(root => Path.Combine(root, entry.Directory)).ToList();
        foreach (string directory in searched)
            if (File.Exists(Path.Combine(directory, FileName("train", "images"))))
                return directory;
        throw new FileNotFoundException(
            $"dataset '{name}' not found in {string.Join(" or ", searched)}: install the Debian package {entry.Package} (apt-get install {entry.Package})");
    }

    /// <summary>Loads split <c>train</c> or <c>test</c> as NCHW images (n, 1, 28, 28) of raw 0..255 values and labels.</summary>
    public static Dataset Load(string name, string split = "train") => Load(name, split, SearchDirectories());

    internal static Dataset Load(string name, string split, IEnumerable<string> roots)
    {
        if (split is not ("train" or "test")) throw new ArgumentException($"dataset '{name}': split must be 'train' or 'test', got '{split}'", nameof(split));
        var entry = Find(name);
        string directory = Locate(name, roots);
        string imagesPath = Path.Combine(directory, FileName(split, "images"));
        string labelsPath = Path.Combine(directory, FileName(split, "labels"));
        var images = IdxFile.ReadTensor(imagesPath);
        if (images.Rank != 3) throw new DataFileException(imagesPath, "byte 3", $"expected 3 dimensions (images, rows, columns), got shape {images.Shape}");
        int[] labels = IdxFile.ReadLabels(labelsPath, entry.ClassCount);
        if (labels.Length != images.Shape[0])
            throw new DataFileException(labelsPath, "byte 4", $"{labels.Length} labels for {images.Shape[0]} images in {imagesPath}");
        var nchw = images.Reshape(images.Shape[0], 1, images.Shape[1], images.Shape[2]);
        return Dataset.Classification([(InputName, nchw)], labels, entry.ClassCount);
    }

    private static string FileName(string split, string kind) => $"{(split == "train" ? "train" : "t10k")}-{kind}-idx{(kind == "images" ? 3 : 1)}-ubyte.gz";

    private static IEnumerable<string> SearchDirectories()
    {
        string? custom = Environment.GetEnvironmentVariable("SPARTA_DATASETS");
        if (!string.IsNullOrEmpty(custom))
            foreach (string d in custom.Split(':', StringSplitOptions.RemoveEmptyEntries)) yield return d;
        yield return "/usr/share/datasets";
    }
}
