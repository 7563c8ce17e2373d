using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Sparta.Serialization;

/// <summary>One array's place in a blob: its name, shape and first float (not byte) in the blob.</summary>
public sealed record BlobEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] int[] Shape,
    [property: JsonPropertyName("offset")] long Offset);

/// <summary>
/// Named float arrays packed end to end as little-endian float32 (the byte order is fixed, so files
/// move between machines), with a JSON index of names, shapes and offsets beside them.
/// </summary>
internal static class TensorBlob
{
    public static List<BlobEntry> Write(Stream stream, IEnumerable<(string Name, int[] Shape, ReadOnlyMemory<float> Values)> arrays)
    {
        var index = new List<BlobEntry>();
        long offset = 0;
        foreach (var (name, shape, values) in arrays)
        {
            index.Add(new BlobEntry(name, shape, offset));
            WriteFloats(stream, values.Span);
            offset += values.Length;
        }
        return index;
    }

    /// <summary>Reads every indexed array; <paramref name="fail"/> makes the error that names the blob.</summary>
    public static Dictionary<string, (int[] Shape, float[] Values)> Read(byte[] blob, IReadOnlyList<BlobEntry> index, Func<string, Exception> fail)
    {
        if (blob.Length % sizeof(float) != 0) throw fail($"holds {blob.Length} bytes, not a whole number of float32 values");
        long floats = blob.Length / sizeof(float);
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        foreach (var entry in index)
        {
            if (entry.Name is null || entry.Shape is null) throw fail("an index entry lacks its name or shape");
            long size = 1;
            foreach (int d in entry.Shape)
            {
                if (d < 0) throw fail($"'{entry.Name}' has a negative dimension in shape [{string.Join(", ", entry.Shape)}]");
                size *= d;
            }
            if (entry.Offset < 0 || entry.Offset + size > floats)
                throw fail($"'{entry.Name}' ({size} values at {entry.Offset}) runs past the end of the data ({floats} values)");
            if (!result.TryAdd(entry.Name, (entry.Shape, ReadFloats(blob.AsSpan((int)(entry.Offset * sizeof(float)), (int)size * sizeof(float))))))
                throw fail($"'{entry.Name}' appears twice in the index");
        }
        return result;
    }

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        return values;
    }
}
