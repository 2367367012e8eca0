namespace Mnist.Predict;

/// <summary>
/// A picture as ink: 0 where there is none, 1 at the strongest stroke, whatever its colours were. Built
/// from RGBA pixels (a decoded file, or a web page's canvas): transparency is laid over white, dark-on-light
/// or light-on-dark is told from the border (the background), and the background level is taken away.
/// </summary>
public sealed class InkImage
{
    /// <summary>Below this much contrast between background and strongest ink (of 1) the picture is blank.</summary>
    public const float MinContrast = 0.15f;

    private InkImage(float[] ink, int width, int height)
    {
        Ink = ink;
        Width = width;
        Height = height;
    }

    /// <summary>Row-major, <see cref="Width"/>·<see cref="Height"/> values in [0, 1].</summary>
    public float[] Ink { get; }
    public int Width { get; }
    public int Height { get; }

    public float this[int x, int y] => Ink[y * Width + x];

    /// <summary>Ink from 8-bit RGBA pixels (not premultiplied), row-major.</summary>
    /// <exception cref="PictureException">The picture is empty or blank (no ink stands out from the background).</exception>
    public static InkImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new PictureException($"the image is empty ({width}×{height} pixels)");
        if (rgba.Length != 4L * width * height) throw new ArgumentException($"{rgba.Length} bytes are not {width}×{height} RGBA pixels");
        var light = new float[width * height];
        for (int i = 0; i < light.Length; i++)
        {
            var p = rgba.Slice(4 * i, 4);
            float luma = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255f, alpha = p[3] / 255f;
            light[i] = alpha * luma + (1 - alpha);   // over white
        }
        // The border is background: a light border means dark ink.
        float border = Median(BorderValues(light, width, height));
        bool darkInk = border >= 0.5f;
        float background = darkInk ? 1 - border : border;
        float max = 0;
        for (int i = 0; i < light.Length; i++)
        {
            float ink = (darkInk ? 1 - light[i] : light[i]) - background;
            light[i] = ink > 0 ? ink : 0;
            max = Math.Max(max, light[i]);
        }
        if (max < MinContrast) throw new PictureException("the image is blank: no ink stands out from the background");
        for (int i = 0; i < light.Length; i++) light[i] /= max;
        return new InkImage(light, width, height);
    }

    private static List<float> BorderValues(float[] v, int width, int height)
    {
        var values = new List<float>(2 * (width + height));
        for (int x = 0; x < width; x++) { values.Add(v[x]); values.Add(v[(height - 1) * width + x]); }
        for (int y = 0; y < height; y++) { values.Add(v[y * width]); values.Add(v[y * width + width - 1]); }
        return values;
    }

    private static float Median(List<float> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

/// <summary>A picture that cannot be read as a digit (not an image, empty, blank, too large, unreadable).</summary>
public sealed class PictureException(string message) : Exception(message);
