using Sparta.Terminal;

namespace Sparta.Tests.Terminal;

public class ProgressDisplayTests
{
    [Theory]
    [InlineData(true, false, null, true)]
    [InlineData(true, false, "", true)]
    [InlineData(true, false, "false", true)]
    [InlineData(true, false, "0", true)]
    [InlineData(true, true, null, false)]      // piped or written to a file
    [InlineData(true, false, "true", false)]   // CI
    [InlineData(true, false, "1", false)]
    [InlineData(false, false, null, false)]    // another writer than the console
    public void Bars_only_on_an_unredirected_console_outside_CI(bool console, bool redirected, string? ci, bool expected) =>
        Assert.Equal(expected, ProgressDisplay.ShowsBars(console, redirected, ci));

    [Theory]
    [InlineData(0, 4, 8, "[........]")]
    [InlineData(1, 4, 8, "[==......]")]
    [InlineData(3, 7, 7, "[===....]")]
    [InlineData(9, 4, 8, "[========]")]
    [InlineData(-1, 4, 4, "[....]")]
    public void Bar_fills_the_share_done(long done, long total, int width, string expected) =>
        Assert.Equal(expected, ProgressDisplay.Bar(done, total, width, '='));

    [Fact]
    public void Bar_rejects_a_width_below_one()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ProgressDisplay.Bar(1, 2, 0, '='));
        Assert.Contains("got 0", e.Message);
    }
}
