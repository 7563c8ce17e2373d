using Sparta.Data;
using Sparta.Data.Loaders;

namespace Sparta.Tests.Data.Loaders;

public class CsvReaderTests
{
    private static string Write(TempDirectory dir, string text)
    {
        string path = dir.File("table.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsNumericAndCategoricalColumns()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "size,color,label\n1.5,red,cat\n-2e1, \"blue, dark\" ,dog\n\n3,red,cat\n");

        var table = CsvReader.Read(path, categorical: ["color", "label"]);

        Assert.Equal(3, table.RowCount);
        Assert.Equal([1.5, -20, 3], table["size"].Numbers!);
        Assert.Equal(["red", "blue, dark", "red"], table["color"].Categories!);
        var (labels, classes) = table.ClassLabels("label");
        Assert.Equal(["cat", "dog"], classes);
        Assert.Equal([0, 1, 0], labels);
        Assert.Equal([1.5f, -20f, 3f], table.Numeric(["size"]).ToArray());
    }

    [Theory]
    [InlineData("abc", "'abc'")]
    [InlineData("NaN", "'NaN'")]
    [InlineData("", "''")]
    [InlineData("inf", "'inf'")]
    public void BadNumericCellNamesFileLineColumnAndValue(string cell, string quoted)
    {
        using var dir = new TempDirectory();
        string path = Write(dir, $"a,b\n1,2\n3,{cell}\n");

        var e = Assert.Throws<DataFileException>(() => CsvReader.Read(path));
        Assert.Equal($"{path}: line 3, column 'b': expected a finite number, got {quoted}", e.Message);
    }

    [Fact]
    public void WrongFieldCountIsReported()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n1,2\n3\n");

        var e = Assert.Throws<DataFileException>(() => CsvReader.Read(path));
        Assert.Contains("line 3", e.Message);
        Assert.Contains("expected 2 fields", e.Message);
    }

    [Fact]
    public void UnknownColumnsAreNamed()
    {
        using var dir = new TempDirectory();
        string path = Write(dir, "a,b\n1,2\n");

        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => CsvReader.Read(path, categorical: ["nope"])).Message);
        Assert.Contains("'c'", Assert.Throws<ArgumentException>(() => CsvReader.Read(path)["c"]).Message);
    }
}
