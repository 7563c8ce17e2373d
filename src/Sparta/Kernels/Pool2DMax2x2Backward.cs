using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling's backward for a 2x2 window of stride 2 whose windows all lie inside the image, written
/// once for every vector width (<see cref="IFloatVector{TSelf}"/>) as its forward, <see cref="Pool2DMax2x2"/>, is:
/// a vector of outputs at a time, each 2x2 block written whole (the gradient at the recorded cell, zero
/// at the other three), so it needs no clearing pass and no scattered adds. A vector's recorded indices
/// are compared with its windows' four cells (as floats: whole numbers below 2²⁴, exact), and the
/// left and right cells of each row are interleaved into the row's 2·lanes cells. A row's last
/// outputs are one more vector ending at the row's end, which writes again the same values in the
/// blocks the one before wrote, or, when adding into the input gradient, are taken one at a time
/// (<see cref="Float1"/>) through the same steps. The AVX-512 kernel (<see cref="Pool2DMaxAvx512"/>),
/// with masked stores for its ragged ends, runs where 512 bits are in use.
/// </summary>
internal static unsafe class Pool2DMax2x2Backward
{
    public static bool Handles(in ConvWindow w) =>
        VectorWidth.Uses128 && BitConverter.IsLittleEndian && Pool2DMax2x2.IsInside2x2(w) && w.InputPixels < 1 << 24;

    /// <summary>The lanes of the kernel <see cref="Backward(in ConvWindow, int, float*, int*, float*, bool)"/> takes: 8 where 256 bits are in use and a row fills a vector of them, else 4.</summary>
    public static int Lanes(in ConvWindow w) => VectorWidth.Uses256 && w.OutWidth >= Float256.Count ? Float256.Count : Float128.Count;

    /// <summary>The 256-bit kernel where it runs and a row fills a vector of it, the 128-bit one otherwise.</summary>
    public static void Backward(in ConvWindow w, int planes, float* dy, int* argmax, float* dx, bool accumulate)
    {
        if (Lanes(w) == Float256.Count) Backward<Float256>(w, planes, dy, argmax, dx, accumulate);
        else Backward<Float128>(w, planes, dy, argmax, dx, accumulate);
    }

    /// <summary>
    /// One width's kernel (the tests run every width against the definition): dx (=, or += when
    /// <paramref name="accumulate"/>) each output gradient at its recorded cell, zero at the other three.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Backward<TVector>(in ConvWindow w, int planes, float* dy, int* argmax, float* dx, bool accumulate)
        where TVector : struct, IFloatVector<TVector>
    {
        // Cells no window covers (a trailing odd row or column) are never written below.
        if (!accumulate && (2 * w.OutHeight < w.Height || 2 * w.OutWidth < w.Width))
            new Span<float>(dx, planes * w.InputPixels).Clear();
        int lanes = TVector.Count, width = w.Width, outWidth = w.OutWidth;
        var evenColumns = Pool2DMax2x2.EvenColumns<TVector>();
        for (long plane = 0; plane < planes; plane++)
        {
            float* target = dx + plane * w.InputPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                var row = new Row(target, 2 * oh * width, width, plane * w.OutPixels + (long)oh * outWidth, dy, argmax, accumulate);
                int ow = 0;
                if (outWidth >= lanes)
                {
                    for (; ow + lanes <= outWidth; ow += lanes) row.Windows(evenColumns, ow, w);
                    if (ow < outWidth && !accumulate)
                    {
                        row.Windows(evenColumns, outWidth - lanes, w);
                        ow = outWidth;
                    }
                }
                for (; ow < outWidth; ow++) row.Windows(Float1.Zero, ow, w);
            }
        }
    }

    /// <summary>One row of outputs: their 2x2 blocks start at cell <see cref="Start"/> of <see cref="Plane"/>, their gradients and indices at <see cref="At"/>.</summary>
    private readonly struct Row(float* plane, int start, int width, long at, float* dy, int* argmax, bool accumulate)
    {
        private readonly float* Plane = plane, Dy = dy;
        private readonly int* Argmax = argmax;
        private readonly int Start = start, Width = width;
        private readonly long At = at;
        private readonly bool Accumulate = accumulate;

        /// <summary>Outputs [ow, ow + lanes) of the row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Windows<TVector>(TVector evenColumns, int ow, in ConvWindow w) where TVector : struct, IFloatVector<TVector>
        {
            var gradient = TVector.Load(Dy + At + ow);
            var index = TVector.LoadInt32(Argmax + At + ow);
            var topLeft = TVector.Create(Start + 2 * ow) + evenColumns;
            var takesTopLeft = TVector.EqualTo(index, topLeft);
            var takesTopRight = TVector.EqualTo(index, topLeft + TVector.One);
            var takesBottomLeft = TVector.EqualTo(index, topLeft + TVector.Create(Width));
            var takesBottomRight = TVector.EqualTo(index, topLeft + TVector.Create(Width + 1));
            if (!TVector.AllSet(takesTopLeft | takesTopRight | takesBottomLeft | takesBottomRight))
                throw BadIndex(w, ow, TVector.Count);
            float* top = Plane + Start + 2 * ow;
            Write(top, gradient & takesTopLeft, gradient & takesTopRight);
            Write(top + Width, gradient & takesBottomLeft, gradient & takesBottomRight);
        }

        /// <summary>The 2·lanes cells of a row from their left (even) and right (odd) values, added to what they hold when accumulating.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Write<TVector>(float* cells, TVector left, TVector right) where TVector : struct, IFloatVector<TVector>
        {
            if (Accumulate)
            {
                var (even, odd) = TVector.LoadEvenOdd(cells);
                left += even;
                right += odd;
            }
            TVector.StoreInterleaved(cells, left, right);
        }

        /// <summary>The error naming the first of outputs [ow, ow + lanes) whose index is not a cell of its window.</summary>
        private ArgumentException BadIndex(in ConvWindow w, int ow, int lanes)
        {
            for (int o = ow; o < Math.Min(ow + lanes, w.OutWidth); o++)
            {
                int first = Start + 2 * o, index = Argmax[At + o];
                if (index != first && index != first + 1 && index != first + Width && index != first + Width + 1)
                    return new ArgumentException($"max pool backward: argmax[{At + o}] must be a cell of its window, got {index}", nameof(argmax));
            }
            return new ArgumentException("max pool backward: argmax does not match the window", nameof(argmax));
        }
    }
}
