using SkiaSharp;

namespace Mnist.Reports;

/// <summary>
/// The sans-serif family all pictures use. Looked up by name because the headless Skia build has no
/// fontconfig aliases: asked for "sans-serif" it answers with the first font it finds, often a serif.
/// </summary>
internal static class ReportFont
{
    private static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans"];

    public static readonly string Family =
        Preferred.FirstOrDefault(f => SKFontManager.Default.FontFamilies.Contains(f)) ?? ScottPlot.Fonts.Default;
}
