namespace Sparta.Data.Loaders;

/// <summary>
/// Reads the elements that follow a header straight from a (possibly decompressing) stream into
/// float storage through one small buffer, so a file is decoded once and never held twice.
/// Tracks the byte offset so a short file is reported where it ends.
/// </summary>
internal sealed class ElementStream
{
    private const int BufferBytes = 1 << 16;
    private readonly Stream _stream;
    private readonly string _path;
    private readonly ElementType _type;
    private readonly bool _bigEndian;
    private readonly byte[] _buffer = new byte[BufferBytes];

    public ElementStream(Stream stream, string path, ElementType type, bool bigEndian, long offset)
    {
        _stream = stream;
        _path = path;
        _type = type;
        _bigEndian = bigEndian;
        Offset = offset;
    }

    /// <summary>Bytes consumed so far (of the decompressed content when the file is compressed).</summary>
    public long Offset { get; private set; }

    public void Read(Span<float> destination, string what)
    {
        int size = ElementDecoding.Size(_type);
        int perChunk = BufferBytes / size;
        while (destination.Length > 0)
        {
            int count = Math.Min(perChunk, destination.Length);
            int bytes = count * size;
            int got = ReadFully(_buffer.AsSpan(0, bytes));
            if (got < bytes)
                throw new DataFileException(_path, $"byte {Offset + got}",
                    $"file ends early: {what} needs {destination.Length * (long)size - got} more bytes");
            ElementDecoding.Decode(_buffer.AsSpan(0, bytes), destination[..count], _type, _bigEndian);
            Offset += bytes;
            destination = destination[count..];
        }
    }

    /// <summary>Fails when anything follows the last element: a file longer than its header says is corrupt too.</summary>
    public void ExpectEnd()
    {
        int extra = ReadFully(_buffer.AsSpan(0, 1));
        if (extra > 0)
            throw new DataFileException(_path, $"byte {Offset}", "unexpected data after the last element the header announces");
    }

    private int ReadFully(Span<byte> buffer)
    {
        try
        {
            return _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(_path, $"byte {Offset}", $"corrupt compressed data ({e.Message})", e);
        }
    }
}
