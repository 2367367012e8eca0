namespace Mnist.Predict;

/// <summary>
/// Makes a 28×28 MNIST input of any ink picture the way MNIST itself was made (LeCun et al.): the ink's
/// bounding box is scaled to fit 20×20 keeping its aspect ratio, with anti-aliasing (each output pixel
/// is the exact area average of the input it covers), and placed in 28×28 so that its centre of mass
/// is at the centre.
/// </summary>
public static class MnistPreprocessor
{
    public const int Side = 28, Box = 20;
    /// <summary>Ink below this (of the strongest, 1) is not counted in the bounding box: faint noise and JPEG ringing.</summary>
    public const float BoxThreshold = 0.1f;

    /// <summary>784 pixels row by row in [0, 1], ink 1 on a background of 0, as read_data_sets gives them.</summary>
    public static float[] Preprocess(InkImage image)
    {
        var (x0, y0, x1, y1) = BoundingBox(image);
        int bw = x1 - x0, bh = y1 - y0;
        double scale = (double)Box / Math.Max(bw, bh);
        int tw = Math.Clamp((int)Math.Round(bw * scale), 1, Box), th = Math.Clamp((int)Math.Round(bh * scale), 1, Box);
        var box = AreaResample(image, x0, y0, bw, bh, tw, th);

        var (cx, cy) = CentreOfMass(box, tw, th);
        int left = Math.Clamp((int)Math.Round(Side / 2.0 - cx), 0, Side - tw);
        int top = Math.Clamp((int)Math.Round(Side / 2.0 - cy), 0, Side - th);
        var result = new float[Side * Side];
        for (int y = 0; y < th; y++)
            box.AsSpan(y * tw, tw).CopyTo(result.AsSpan((top + y) * Side + left));
        return result;
    }

    // [x0, x1) × [y0, y1) around every pixel of at least BoxThreshold ink (there is one: the image is not blank).
    private static (int X0, int Y0, int X1, int Y1) BoundingBox(InkImage image)
    {
        int x0 = image.Width, y0 = image.Height, x1 = 0, y1 = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] >= BoxThreshold)
                {
                    x0 = Math.Min(x0, x); x1 = Math.Max(x1, x + 1);
                    y0 = Math.Min(y0, y); y1 = Math.Max(y1, y + 1);
                }
        return (x0, y0, x1, y1);
    }

    // Output pixel (i, j) covers source [x0 + i·sx, x0 + (i+1)·sx) × [y0 + j·sy, ...): the average of the
    // source pixels weighted by how much of each it covers (a box filter: anti-aliased down, smooth-edged up).
    private static float[] AreaResample(InkImage image, int x0, int y0, int bw, int bh, int tw, int th)
    {
        double sx = (double)bw / tw, sy = (double)bh / th;
        var result = new float[tw * th];
        for (int j = 0; j < th; j++)
        {
            double top = y0 + j * sy, bottom = top + sy;
            for (int i = 0; i < tw; i++)
            {
                double left = x0 + i * sx, right = left + sx, sum = 0;
                for (int y = (int)top; y < bottom && y < image.Height; y++)
                {
                    double wy = Math.Min(bottom, y + 1) - Math.Max(top, y);
                    for (int x = (int)left; x < right && x < image.Width; x++)
                        sum += wy * (Math.Min(right, x + 1) - Math.Max(left, x)) * image[x, y];
                }
                result[j * tw + i] = (float)(sum / (sx * sy));
            }
        }
        return result;
    }

    // In pixel indices. MNIST's own digits have theirs at (14, 14) ± 0.5 (mean 14.00, sd 0.29 over the
    // test set: whole-pixel shifts), so Preprocess moves it to the nearest whole pixel of that.
    private static (double X, double Y) CentreOfMass(float[] box, int w, int h)
    {
        double sum = 0, sx = 0, sy = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double v = box[y * w + x];
                sum += v; sx += v * x; sy += v * y;
            }
        return sum > 0 ? (sx / sum, sy / sum) : ((w - 1) / 2.0, (h - 1) / 2.0);
    }
}
