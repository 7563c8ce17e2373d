using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

public class SobolTests
{
    [Fact]
    public void First_points_match_the_published_sequence()
    {
        // Unscrambled, natural order. Dimension 1 is van der Corput. Dimension 2 (x + 1, m = 1 3)
        // has direction numbers v1 = .1, v2 = .11, v3 = v2 ^ (v2 >> 1) = .101 (binary), and point i
        // XORs the v_k of the bits of i: .1, .11, .01, .101, .001, .011, .111 for i = 1..7.
        double[] d0 = { 0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875 };
        double[] d1 = { 0, 0.5, 0.75, 0.25, 0.625, 0.125, 0.375, 0.875 };
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(d0[i], SobolSequence.Point(i, 0) / 4294967296.0);
            Assert.Equal(d1[i], SobolSequence.Point(i, 1) / 4294967296.0);
        }
    }

    [Theory]
    [InlineData(SobolScrambling.None)]
    [InlineData(SobolScrambling.Owen)]
    [InlineData(SobolScrambling.DigitalShift)]
    public void Every_block_of_2_to_the_m_points_stratifies_each_dimension(SobolScrambling scrambling)
    {
        var sampler = new SobolSampler(seed: 5, scrambling);
        const int m = 6, n = 1 << m;
        for (int d = 0; d < SobolSequence.MaxDimension; d++)
        {
            var cells = new int[n];
            for (int i = 0; i < n; i++) cells[(int)(sampler.Unit(i, d) * n)]++;
            Assert.All(cells, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void Pairs_of_dimensions_form_a_net_on_elementary_boxes()
    {
        // For dimensions 0 and 1 (t = 0), each 2^a x 2^b box with a + b = m holds exactly one of 2^m points.
        var sampler = new SobolSampler(seed: 9);
        const int m = 6, n = 1 << m;
        for (int a = 0; a <= m; a++)
        {
            int rows = 1 << a, cols = 1 << (m - a);
            var boxes = new int[rows, cols];
            for (int i = 0; i < n; i++) boxes[(int)(sampler.Unit(i, 0) * rows), (int)(sampler.Unit(i, 1) * cols)]++;
            foreach (int count in boxes) Assert.Equal(1, count);
        }
    }

    [Fact]
    public void Scrambling_depends_on_the_seed_and_is_reproducible()
    {
        var a = new SobolSampler(seed: 1);
        var b = new SobolSampler(seed: 1);
        var c = new SobolSampler(seed: 2);
        Assert.Equal(a.Unit(7, 3), b.Unit(7, 3));
        Assert.NotEqual(a.Unit(7, 3), c.Unit(7, 3));
    }

    [Fact]
    public void Sobol_points_fill_space_more_evenly_than_random_ones()
    {
        // Centered L2 discrepancy is not needed: the largest empty cell of a 16x16 grid over 256
        // points is a simple, decisive proxy. Sobol leaves no empty cell; random leaves many.
        var sobol = new SobolSampler(seed: 3);
        var random = new Sparta.Tensors.RandomGenerator(3);
        int emptySobol = 0, emptyRandom = 0;
        var s = new bool[16, 16];
        var r = new bool[16, 16];
        for (int i = 0; i < 256; i++)
        {
            s[(int)(sobol.Unit(i, 2) * 16), (int)(sobol.Unit(i, 5) * 16)] = true;
            r[(int)(random.NextDouble() * 16), (int)(random.NextDouble() * 16)] = true;
        }
        foreach (bool b in s) if (!b) emptySobol++;
        foreach (bool b in r) if (!b) emptyRandom++;
        Assert.True(emptySobol < emptyRandom / 2, $"sobol empty cells {emptySobol}, random {emptyRandom}");
    }
}
