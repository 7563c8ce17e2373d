using System.Runtime.Intrinsics.X86;
using Sparta.Kernels;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The packing of GEMM panels against its definition, for every panel width the kernels use and every
/// count of lanes inside the matrix: the lanes in order, zeros past the matrix's edge, nothing written
/// past the panel's 16 floats of slack.
/// </summary>
public unsafe class GemmPackingTests
{
    public static TheoryData<int, bool> Widths()
    {
        var data = new TheoryData<int, bool>();
        foreach (int width in new[] { 4, 6, 8, 16, 32 })
        {
            data.Add(width, false);
            if (Avx512F.IsSupported) data.Add(width, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lanes_contiguous_in_the_source_are_copied_in_order_and_zero_past_the_edge(int width, bool avx512)
    {
        const int kc = 7, ld = 40, slack = 16;
        var source = Enumerable.Range(0, kc * ld).Select(i => i + 0.5f).ToArray();
        for (int lanes = 1; lanes <= width; lanes++)
        {
            var panel = Enumerable.Repeat(float.NaN, kc * width + slack + 8).ToArray();
            fixed (float* src = source, dst = panel)
                GemmPacking.PanelAcross(src, ld, lanes, kc, dst, width, avx512);
            for (int p = 0; p < kc; p++)
            for (int l = 0; l < width; l++)
                Assert.Equal(l < lanes ? source[p * ld + l] : 0f, panel[p * width + l]);
            for (int i = kc * width + slack; i < panel.Length; i++) Assert.True(float.IsNaN(panel[i]), $"width {width}, lanes {lanes}: wrote past the slack at {i}");
        }
    }
}
