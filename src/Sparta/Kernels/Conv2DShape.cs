namespace Sparta.Kernels;

/// <summary>
/// The geometry of one 2-D convolution in NCHW layout (PyTorch's): input [N, C, H, W], weights
/// [OC, C, KH, KW], bias [OC], output [N, OC, OH, OW]. The batch size N is given per call.
/// </summary>
internal readonly record struct Conv2DShape
{
    public int Channels { get; }
    public int OutChannels { get; }
    public ConvWindow Window { get; }

    public Conv2DShape(int channels, int outChannels, ConvWindow window)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"conv2d: channels must be at least 1, got {channels}");
        if (outChannels < 1) throw new ArgumentOutOfRangeException(nameof(outChannels), $"conv2d: outChannels must be at least 1, got {outChannels}");
        if (window.Height == 0) throw new ArgumentException("conv2d: the window was not built by ConvWindow.Create", nameof(window));
        Channels = channels;
        OutChannels = outChannels;
        Window = window;
    }

    /// <summary>Values in one sample of the input, C·H·W.</summary>
    public int InputSize => Channels * Window.InputPixels;

    /// <summary>Values in one sample of the output, OC·OH·OW.</summary>
    public int OutputSize => OutChannels * Window.OutPixels;

    /// <summary>Rows of the im2col matrix and columns of the weight matrix, C·KH·KW.</summary>
    public int PatchSize => Channels * Window.KernelPixels;

    public int WeightCount => OutChannels * PatchSize;

    public override string ToString() => $"[{Channels}->{OutChannels}, {Window}]";
}
