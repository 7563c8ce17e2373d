namespace Sparta.Metrics;

/// <summary>A scored box predicted for a class in an image.</summary>
public readonly record struct Detection(int Image, int Class, float Score, Box Box);

/// <summary>A labelled object: its class and box in an image.</summary>
public readonly record struct GroundTruth(int Image, int Class, Box Box);

/// <summary>
/// Average precision of object detections per class, as PASCAL VOC: detections of a class, highest
/// score first, each find the object of that class in its image with the largest IoU; the detection
/// is a true positive when that IoU reaches <c>iouThreshold</c> and the object is not yet taken, a
/// false positive otherwise (so a second detection of one object counts against precision); recall
/// counts every object. The AP is the area under the resulting precision-recall curve
/// (<see cref="AveragePrecision"/>, not interpolated).
/// </summary>
public static class DetectionAveragePrecision
{
    /// <summary>The AP of each class (NaN for a class without objects).</summary>
    public static double[] PerClass(IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruth> objects, int classes,
        double iouThreshold = 0.5)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), $"detection ap: classes must be at least 1, got {classes}");
        if (!(iouThreshold > 0 && iouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(iouThreshold), $"detection ap: iou_threshold must be in (0, 1], got {iouThreshold}");
        foreach (var d in detections) CheckClass(d.Class, classes, "detection");
        foreach (var o in objects) CheckClass(o.Class, classes, "ground truth");

        var result = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            var truths = objects.Where(o => o.Class == c).ToList();
            var candidates = detections.Where(d => d.Class == c).OrderByDescending(d => d.Score).ToList();
            var matched = new bool[truths.Count];
            var scores = new float[candidates.Count];
            var hits = new bool[candidates.Count];
            for (int k = 0; k < candidates.Count; k++)
            {
                var detection = candidates[k];
                int best = -1;
                double bestIoU = -1;
                for (int t = 0; t < truths.Count; t++)
                {
                    if (truths[t].Image != detection.Image) continue;
                    double iou = BoxIoU.Of(detection.Box, truths[t].Box);
                    if (iou > bestIoU)
                    {
                        bestIoU = iou;
                        best = t;
                    }
                }
                bool hit = best >= 0 && bestIoU >= iouThreshold && !matched[best];
                if (hit) matched[best] = true;
                scores[k] = detection.Score;
                hits[k] = hit;
            }
            result[c] = AveragePrecision.Of(scores, hits, truths.Count);
        }
        return result;
    }

    /// <summary>Mean over the classes that have objects (mAP@iouThreshold).</summary>
    public static double Mean(IReadOnlyList<Detection> detections, IReadOnlyList<GroundTruth> objects, int classes,
        double iouThreshold = 0.5)
    {
        var defined = PerClass(detections, objects, classes, iouThreshold).Where(ap => !double.IsNaN(ap)).ToList();
        return defined.Count == 0 ? 0 : defined.Average();
    }

    private static void CheckClass(int c, int classes, string what)
    {
        if ((uint)c >= (uint)classes)
            throw new ArgumentOutOfRangeException(nameof(classes), $"detection ap: {what} class {c} is outside [0, {classes})");
    }
}
