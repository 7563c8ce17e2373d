namespace Sparta.Tests.Fuzz;

/// <summary>One to four random edits of a file's bytes: flipped bits, bytes set to edge values, cuts, duplicated and inserted runs.</summary>
internal static class ByteMutations
{
    private static readonly byte[] Edges = [0x00, 0x01, 0x7f, 0x80, 0xff, (byte)',', (byte)'\n', (byte)'"', (byte)'-', (byte)'e', (byte)'(', (byte)')'];

    public static byte[] Apply(byte[] valid, Random random)
    {
        var bytes = valid.ToList();
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = Edges[random.Next(Edges.Length)]; break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(1 + random.Next(16), bytes.Count - at))); break;
                default: bytes.RemoveRange(at, Math.Min(1 + random.Next(8), bytes.Count - at)); break;
            }
        }
        return bytes.ToArray();
    }
}
