using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Sparta.Data.Loaders;

/// <summary>The on-disk element types the loaders decode into float32 tensors.</summary>
public enum ElementType { UInt8, Int8, Int16, Int32, Int64, Float32, Float64 }

/// <summary>Decodes raw little- or big-endian elements into floats, a chunk at a time.</summary>
internal static class ElementDecoding
{
    public static int Size(ElementType type) => type switch
    {
        ElementType.UInt8 or ElementType.Int8 => 1,
        ElementType.Int16 => 2,
        ElementType.Int32 or ElementType.Float32 => 4,
        ElementType.Int64 or ElementType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), $"element type {type} is unknown"),
    };

    /// <summary>Converts <c>destination.Length</c> elements from <paramref name="source"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<float> destination, ElementType type, bool bigEndian)
    {
        // Byte order only matters for multi-byte types, and only when it differs from this machine's.
        bool swap = bigEndian == BitConverter.IsLittleEndian;
        switch (type)
        {
            case ElementType.UInt8:
                TensorPrimitives.ConvertTruncating<byte, float>(source[..destination.Length], destination);
                break;
            case ElementType.Int8:
                TensorPrimitives.ConvertTruncating<sbyte, float>(MemoryMarshal.Cast<byte, sbyte>(source[..destination.Length]), destination);
                break;
            case ElementType.Int16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = swap ? BinaryPrimitives.ReverseEndianness(MemoryMarshal.Read<short>(source[(2 * i)..])) : MemoryMarshal.Read<short>(source[(2 * i)..]);
                break;
            case ElementType.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    int v = MemoryMarshal.Read<int>(source[(4 * i)..]);
                    destination[i] = swap ? BinaryPrimitives.ReverseEndianness(v) : v;
                }
                break;
            case ElementType.Int64:
                for (int i = 0; i < destination.Length; i++)
                {
                    long v = MemoryMarshal.Read<long>(source[(8 * i)..]);
                    destination[i] = swap ? BinaryPrimitives.ReverseEndianness(v) : v;
                }
                break;
            case ElementType.Float32:
                if (!swap) { MemoryMarshal.Cast<byte, float>(source[..(4 * destination.Length)]).CopyTo(destination); break; }
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(MemoryMarshal.Read<int>(source[(4 * i)..])));
                break;
            case ElementType.Float64:
                for (int i = 0; i < destination.Length; i++)
                {
                    long bits = MemoryMarshal.Read<long>(source[(8 * i)..]);
                    destination[i] = (float)BitConverter.Int64BitsToDouble(swap ? BinaryPrimitives.ReverseEndianness(bits) : bits);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), $"element type {type} is unknown");
        }
    }
}
