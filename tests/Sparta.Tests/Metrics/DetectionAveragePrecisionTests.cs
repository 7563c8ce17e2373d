using Sparta.Metrics;

namespace Sparta.Tests.Metrics;

public class DetectionAveragePrecisionTests
{
    private static readonly Box A = new(0, 0, 10, 10);
    private static readonly Box B = new(20, 20, 30, 30);

    [Fact]
    public void DuplicatesAndMissesLowerTheAp()
    {
        // Objects A and B; detections: A well found (IoU 0.9), A again, a box on nothing. B is missed.
        // Ranked: TP (P 1, R 1/2), FP, FP → AP = 1/2 · 1.
        GroundTruth[] objects = [new(0, 0, A), new(0, 0, B)];
        Detection[] detections =
        [
            new(0, 0, 0.9f, new Box(0, 0, 10, 9)),
            new(0, 0, 0.8f, new Box(0, 0, 10, 10)),
            new(0, 0, 0.7f, new Box(50, 50, 60, 60)),
        ];
        Assert.Equal(0.5, DetectionAveragePrecision.PerClass(detections, objects, 1)[0], 12);
    }

    [Fact]
    public void MatchesOnlyWithinTheSameImageAndClassAboveTheThreshold()
    {
        GroundTruth[] objects = [new(0, 0, A), new(1, 0, A), new(0, 1, B)];
        Detection[] detections =
        [
            new(1, 0, 0.95f, A),                          // image 1's A: TP
            new(0, 0, 0.9f, new Box(0, 0, 10, 4)),        // IoU 0.4 with image 0's A: FP at 0.5
            new(0, 1, 0.6f, new Box(20, 20, 30, 30)),     // class 1's B: TP
            new(1, 1, 0.5f, new Box(20, 20, 30, 30)),     // class 1 in image 1 has no object: FP
        ];
        double[] ap = DetectionAveragePrecision.PerClass(detections, objects, 2);
        // Class 0: TP (P 1, R 1/2), FP → 1/2. Class 1: TP (P 1, R 1), FP → 1.
        Assert.Equal(0.5, ap[0], 12);
        Assert.Equal(1.0, ap[1], 12);
        Assert.Equal(0.75, DetectionAveragePrecision.Mean(detections, objects, 2), 12);
        // At IoU 0.3 the loose box on image 0's A counts: class 0 is found entirely.
        Assert.Equal(1.0, DetectionAveragePrecision.PerClass(detections, objects, 2, iouThreshold: 0.3)[0], 12);
    }

    [Fact]
    public void ClassWithoutObjectsIsUndefinedAndLeftOutOfTheMean()
    {
        GroundTruth[] objects = [new(0, 0, A)];
        Detection[] detections = [new(0, 0, 0.9f, A), new(0, 1, 0.9f, B)];
        Assert.True(double.IsNaN(DetectionAveragePrecision.PerClass(detections, objects, 2)[1]));
        Assert.Equal(1.0, DetectionAveragePrecision.Mean(detections, objects, 2), 12);
    }

    [Fact]
    public void BadInputsNameTheValue()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionAveragePrecision.PerClass([new(0, 3, 1f, A)], [], 2));
        Assert.Contains("class 3", e.Message);
        var box = Assert.Throws<ArgumentException>(() => new Box(5, 0, 1, 1));
        Assert.Contains("(5, 0, 1, 1)", box.Message);
    }
}
