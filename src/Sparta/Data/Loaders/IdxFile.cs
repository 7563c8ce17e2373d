using System.Buffers.Binary;
using Sparta.Tensors;

namespace Sparta.Data.Loaders;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: magic <c>00 00 type rank</c>, <c>rank</c> big-endian
/// int32 dimensions, then the elements in row-major order, big-endian; the file may be gzipped.
/// Open it to read the header, then read all rows at once or a chunk at a time (a set larger than
/// memory streams through <see cref="ReadRows"/>).
/// </summary>
public sealed class IdxFile : IDisposable
{
    private readonly Stream _stream;
    private readonly ElementStream _elements;
    private int _rowsRead;

    private IdxFile(string path, Stream stream, ElementType type, int[] dims, long headerBytes)
    {
        Path = path;
        _stream = stream;
        ElementType = type;
        Dims = dims;
        _elements = new ElementStream(stream, path, type, bigEndian: true, headerBytes);
    }

    public string Path { get; }

    public ElementType ElementType { get; }

    /// <summary>The dimensions the header announces; the first is the number of rows (samples).</summary>
    public IReadOnlyList<int> Dims { get; }

    public int Rows => Dims[0];

    /// <summary>Values per row: the product of the dimensions after the first.</summary>
    public int RowSize { get; private init; }

    public static IdxFile Open(string path)
    {
        var stream = CompressedFile.OpenRead(path, out bool compressed);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
                throw new DataFileException(path, "byte 0", "file too short for an IDX magic number (expected 4 bytes 00 00 TYPE RANK)");
            if (magic[0] != 0 || magic[1] != 0)
                throw new DataFileException(path, "byte 0", $"wrong magic number {Convert.ToHexString(magic)}: an IDX file starts with 0000");
            ElementType type = magic[2] switch
            {
                0x08 => ElementType.UInt8,
                0x09 => ElementType.Int8,
                0x0B => ElementType.Int16,
                0x0C => ElementType.Int32,
                0x0D => ElementType.Float32,
                0x0E => ElementType.Float64,
                _ => throw new DataFileException(path, "byte 2", $"unknown IDX element type 0x{magic[2]:X2} (expected 08, 09, 0B, 0C, 0D or 0E)"),
            };
            int rank = magic[3];
            if (rank == 0) throw new DataFileException(path, "byte 3", "IDX rank 0: expected at least one dimension");
            var header = new byte[4 * rank];
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                throw new DataFileException(path, "byte 4", $"file ends inside the header: expected {rank} dimensions of 4 bytes");
            var dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++)
            {
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
                if (dims[i] < 0) throw new DataFileException(path, $"byte {4 + 4 * i}", $"negative dimension {dims[i]}");
                size *= dims[i];
            }
            if (size > int.MaxValue) throw new DataFileException(path, "byte 4", $"dimensions ({string.Join(", ", dims)}) hold more than {int.MaxValue} values");
            // A corrupt size must not cost an allocation of gigabytes before the file is found short.
            long expectedBytes = 4 + header.Length + size * ElementDecoding.Size(type);
            if (!compressed && stream.Length < expectedBytes)
                throw new DataFileException(path, $"byte {stream.Length}",
                    $"file ends here, {expectedBytes - stream.Length} more bytes expected for dimensions ({string.Join(", ", dims)})");
            return new IdxFile(path, stream, type, dims, 4 + header.Length) { RowSize = (int)(size / Math.Max(dims[0], 1)) };
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new DataFileException(path, "header", $"corrupt compressed data ({e.Message})", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the whole file into a tensor of its own dimensions.</summary>
    public static Tensor ReadTensor(string path)
    {
        using var file = Open(path);
        var tensor = Tensor.Uninitialized(new Shape(file.Dims.ToArray()));
        file.ReadRows(tensor.Span, file.Rows);
        file.ExpectEnd();
        return tensor;
    }

    /// <summary>Reads a one-dimensional label file, checking every label lies in [0, <paramref name="classCount"/>).</summary>
    public static int[] ReadLabels(string path, int classCount)
    {
        using var file = Open(path);
        if (file.Dims.Count != 1)
            throw new DataFileException(path, "byte 3", $"a label file has 1 dimension, got {file.Dims.Count} ({string.Join(", ", file.Dims)})");
        var values = new float[file.Rows];
        file.ReadRows(values, file.Rows);
        file.ExpectEnd();
        return Labels.FromValues(values, classCount, path, headerBytes: 8, bytesPerLabel: ElementDecoding.Size(file.ElementType));
    }

    /// <summary>Decodes the next <paramref name="rows"/> rows into <paramref name="destination"/> (rows x RowSize values).</summary>
    public void ReadRows(Span<float> destination, int rows)
    {
        if (rows < 0 || _rowsRead + rows > Rows)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{Path}: cannot read {rows} rows after row {_rowsRead} of {Rows}");
        if (destination.Length < (long)rows * RowSize)
            throw new ArgumentException($"{Path}: destination holds {destination.Length} values, {rows} rows need {(long)rows * RowSize}", nameof(destination));
        _elements.Read(destination[..(rows * RowSize)], $"rows {_rowsRead}..{Rows - 1}");
        _rowsRead += rows;
    }

    /// <summary>Streams the rows as tensors of at most <paramref name="rowsPerChunk"/> rows, reusing one buffer.</summary>
    public IEnumerable<Tensor> ReadChunks(int rowsPerChunk)
    {
        if (rowsPerChunk < 1) throw new ArgumentOutOfRangeException(nameof(rowsPerChunk), $"rowsPerChunk must be positive, got {rowsPerChunk}");
        int[] dims = Dims.ToArray();
        dims[0] = rowsPerChunk;
        var buffer = Tensor.Uninitialized(new Shape(dims));
        while (_rowsRead < Rows)
        {
            int rows = Math.Min(rowsPerChunk, Rows - _rowsRead);
            var chunk = rows == rowsPerChunk ? buffer : buffer.Slice(0, rows);
            ReadRows(chunk.Span, rows);
            if (_rowsRead == Rows) ExpectEnd();
            yield return chunk;
        }
    }

    /// <summary>Fails if bytes follow the last row: the header and the data disagree.</summary>
    public void ExpectEnd() => _elements.ExpectEnd();

    public void Dispose() => _stream.Dispose();
}
