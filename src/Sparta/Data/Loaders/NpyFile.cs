using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sparta.Tensors;

namespace Sparta.Data.Loaders;

/// <summary>
/// NumPy's .npy format: magic <c>\x93NUMPY</c>, version, header length, a Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c> padded to 64 bytes, then
/// the data. Reads C-order float32/float64/uint8/int32/int64 into float32 tensors; writes float32.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static Tensor Read(string path)
    {
        using var stream = File.Exists(path) ? File.OpenRead(path) : throw new FileNotFoundException($"{path}: file not found", path);
        return Read(stream, path);
    }

    /// <summary>Reads one array from a stream that need not be seekable (an NPZ entry); <paramref name="name"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string name)
    {
        var header = ReadHeader(stream, name, out long headerBytes);
        var (type, shape) = ParseHeader(header, name);
        var tensor = Tensor.Uninitialized(new Shape(shape));
        var elements = new ElementStream(stream, name, type, bigEndian: false, headerBytes);
        elements.Read(tensor.Span, $"an array of shape ({string.Join(", ", shape)})");
        elements.ExpectEnd();
        return tensor;
    }

    /// <summary>Writes a float32 C-order array, readable by numpy.load.</summary>
    public static void Write(string path, Tensor tensor)
    {
        using var stream = File.Create(path);
        Write(stream, tensor);
    }

    public static void Write(Stream stream, Tensor tensor)
    {
        string dims = tensor.Rank == 1 ? $"{tensor.Shape[0]}," : string.Join(", ", tensor.Shape.ToArray());
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        string text = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(text));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("npy: writing needs a little-endian machine");
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Span));
    }

    private static string ReadHeader(Stream stream, string name, out long headerBytes)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new DataFileException(name, "byte 0", "wrong magic number: an .npy file starts with \\x93NUMPY");
        int major = prefix[6];
        int lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw new DataFileException(name, "byte 6", $"unsupported .npy version {major}.{prefix[7]} (expected 1, 2 or 3)"),
        };
        Span<byte> lengthField = stackalloc byte[4];
        if (stream.ReadAtLeast(lengthField[..lengthBytes], lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new DataFileException(name, "byte 8", "file ends inside the header length");
        long length = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (length > 1 << 20) throw new DataFileException(name, "byte 8", $"header length {length} is implausible (corrupt file?)");
        var text = new byte[length];
        if (stream.ReadAtLeast(text, text.Length, throwOnEndOfStream: false) < text.Length)
            throw new DataFileException(name, $"byte {8 + lengthBytes}", $"file ends inside the {length}-byte header");
        headerBytes = 8 + lengthBytes + length;
        return Encoding.Latin1.GetString(text);
    }

    private static (ElementType Type, int[] Shape) ParseHeader(string header, string name)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new DataFileException(name, "header", $"expected a dict with 'descr', 'fortran_order' and 'shape', got {header.Trim()}");
        if (fortran.Groups[1].Value == "True")
            throw new DataFileException(name, "header", "Fortran-order arrays are not supported: save with numpy.ascontiguousarray(a)");
        string dtype = descr.Groups[1].Value;
        ElementType type = dtype switch
        {
            "<f4" => ElementType.Float32,
            "<f8" => ElementType.Float64,
            "|u1" or "<u1" => ElementType.UInt8,
            "<i4" => ElementType.Int32,
            "<i8" => ElementType.Int64,
            _ => throw new DataFileException(name, "header", $"unsupported dtype '{dtype}' (supported: <f4, <f8, |u1, <i4, <i8)"),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var parsed = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]))
                throw new DataFileException(name, "header", $"shape dimension '{dims[i]}' is not a non-negative integer");
        return (type, parsed);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
