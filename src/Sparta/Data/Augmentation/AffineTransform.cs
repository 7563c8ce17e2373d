namespace Sparta.Data.Augmentation;

/// <summary>
/// Maps an output pixel (row, col) to the input point it samples: input = A·output + b (inverse
/// mapping, as scipy.ndimage.affine_transform), so every output pixel gets exactly one value.
/// </summary>
public readonly record struct AffineTransform(double A00, double A01, double A10, double A11, double B0, double B1)
{
    public static AffineTransform Identity => new(1, 0, 0, 1, 0, 0);

    /// <summary>
    /// Keras' composition rotation·shift·shear·zoom about the image centre. Angles in degrees; shifts
    /// in pixels (rows, cols). The centre is the true pixel centre ((h-1)/2, (w-1)/2), so a 90°
    /// rotation is an exact transpose and flip (Keras uses h/2+0.5, half a pixel off).
    /// </summary>
    public static AffineTransform Compose(double rotationDegrees, double rowShift, double colShift, double shearDegrees,
        double rowZoom, double colZoom, int height, int width)
    {
        double theta = rotationDegrees * Math.PI / 180, shear = shearDegrees * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        // rotation [[cos, -sin], [sin, cos]] · shear [[1, -sin(shear)], [0, cos(shear)]] · zoom diag(zr, zc);
        // the shift matrix only adds a translation R·t to the offset.
        double s00 = 1, s01 = -Math.Sin(shear), s11 = Math.Cos(shear);
        double a00 = (cos * s00) * rowZoom, a01 = (cos * s01 - sin * s11) * colZoom;
        double a10 = (sin * s00) * rowZoom, a11 = (sin * s01 + cos * s11) * colZoom;
        double t0 = cos * rowShift - sin * colShift, t1 = sin * rowShift + cos * colShift;
        // About the centre c: input = A·(out - c) + t + c.
        double c0 = (height - 1) / 2.0, c1 = (width - 1) / 2.0;
        return new AffineTransform(a00, a01, a10, a11, c0 + t0 - (a00 * c0 + a01 * c1), c1 + t1 - (a10 * c0 + a11 * c1));
    }

    public bool IsIdentity => this == Identity;
}
