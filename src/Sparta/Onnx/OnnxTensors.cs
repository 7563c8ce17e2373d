using System.Runtime.InteropServices;
using Sparta.Tensors;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Reads ONNX tensors into Sparta's float tensors. Integer tensors (shapes, axes, indices) become
/// floats too: the values they hold in a network (dimensions, positions) are exact in float.
/// </summary>
internal static class OnnxTensors
{
    public static bool IsFloat(int dataType) => dataType is (int)Proto.TensorProto.Types.DataType.Float
        or (int)Proto.TensorProto.Types.DataType.Double or (int)Proto.TensorProto.Types.DataType.Float16;

    /// <summary>8- and 16-bit integers, signed or not: every value is exact in float.</summary>
    public static bool IsSmallInteger(int dataType) => dataType is (int)Proto.TensorProto.Types.DataType.Int8
        or (int)Proto.TensorProto.Types.DataType.Uint8 or (int)Proto.TensorProto.Types.DataType.Int16 or (int)Proto.TensorProto.Types.DataType.Uint16;

    /// <summary>Integer types, signed or not, of any width, and bool: what a cast truncates toward zero.</summary>
    public static bool IsInteger(int dataType) => IsSmallInteger(dataType) || dataType is (int)Proto.TensorProto.Types.DataType.Int32
        or (int)Proto.TensorProto.Types.DataType.Int64 or (int)Proto.TensorProto.Types.DataType.Uint32
        or (int)Proto.TensorProto.Types.DataType.Uint64 or (int)Proto.TensorProto.Types.DataType.Bool;

    public static Tensor Read(Proto.TensorProto tensor, string owner)
    {
        if (tensor.DataLocation == Proto.TensorProto.Types.DataLocation.External)
            throw new OnnxException($"{owner}: tensor '{tensor.Name}' is stored in an external file, which is not supported");
        int[] dims = tensor.Dims.Select(d => checked((int)d)).ToArray();
        int size = dims.Aggregate(1, (p, d) => p * d);
        var values = Values(tensor, owner);
        if (values.Length != size)
            throw new OnnxException($"{owner}: tensor '{tensor.Name}' holds {values.Length} values for shape ({string.Join(", ", dims)})");
        return Tensor.FromArray(values, dims);
    }

    private static float[] Values(Proto.TensorProto t, string owner)
    {
        var raw = t.RawData.Span;
        bool hasRaw = !t.RawData.IsEmpty;
        switch ((Proto.TensorProto.Types.DataType)t.DataType)
        {
            case Proto.TensorProto.Types.DataType.Float:
                return hasRaw ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : t.FloatData.ToArray();
            case Proto.TensorProto.Types.DataType.Double:
                return (hasRaw ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : t.DoubleData.ToArray()).Select(v => (float)v).ToArray();
            case Proto.TensorProto.Types.DataType.Float16:
                return hasRaw ? MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(v => (float)v).ToArray()
                    : t.Int32Data.Select(bits => (float)BitConverter.Int16BitsToHalf((short)bits)).ToArray();
            case Proto.TensorProto.Types.DataType.Int64:
                return (hasRaw ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : t.Int64Data.ToArray()).Select(Clamp).ToArray();
            case Proto.TensorProto.Types.DataType.Int32:
                return (hasRaw ? MemoryMarshal.Cast<byte, int>(raw).ToArray() : t.Int32Data.ToArray()).Select(v => (float)v).ToArray();
            case Proto.TensorProto.Types.DataType.Bool:
            case Proto.TensorProto.Types.DataType.Uint8:
            case Proto.TensorProto.Types.DataType.Int8:
                return hasRaw ? raw.ToArray().Select(v => (float)(t.DataType == (int)Proto.TensorProto.Types.DataType.Int8 ? (sbyte)v : v)).ToArray()
                    : t.Int32Data.Select(v => (float)v).ToArray();
            case Proto.TensorProto.Types.DataType.Int16:
                return hasRaw ? MemoryMarshal.Cast<byte, short>(raw).ToArray().Select(v => (float)v).ToArray() : t.Int32Data.Select(v => (float)(short)v).ToArray();
            case Proto.TensorProto.Types.DataType.Uint16:
                return hasRaw ? MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(v => (float)v).ToArray() : t.Int32Data.Select(v => (float)(ushort)v).ToArray();
            default:
                throw new OnnxException($"{owner}: tensor '{t.Name}' has data type {(Proto.TensorProto.Types.DataType)t.DataType}, which is not supported");
        }
    }

    /// <summary>int64 sentinels (INT64_MAX as "to the end" in Slice) stay far beyond any dimension in float.</summary>
    private static float Clamp(long v) => Math.Clamp(v, -(1L << 40), 1L << 40);
}
