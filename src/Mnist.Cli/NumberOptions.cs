using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mnist.Cli;

/// <summary>
/// Numeric options and arguments whose parse and range errors are one line naming the flag
/// (<c>--steps: 'abc' is not an integer</c>), checked while parsing, so no later validator ever reads a
/// value that failed to convert.
/// </summary>
internal static class NumberOptions
{
    public static Option<int?> Integer(string name, string description, int min = int.MinValue, int max = int.MaxValue) =>
        new(name) { Description = description, CustomParser = r => ParseInteger(r, name, min, max) };

    public static Option<int?> Positive(string name, string description) => Integer(name, description, min: 1);

    /// <summary>A positive, finite real number: NaN, infinities, zero and negatives are refused.</summary>
    public static Option<double?> PositiveReal(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParseReal(r, name, allowZero: false) };

    /// <summary>A finite real number ≥ 0: NaN, infinities and negatives are refused.</summary>
    public static Option<double?> NonNegativeReal(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParseReal(r, name, allowZero: true) };

    public static Argument<int> NonNegativeArgument(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParseInteger(r, name, min: 0, max: int.MaxValue) ?? 0 };

    private static int? ParseInteger(ArgumentResult r, string name, int min, int max)
    {
        if (r.Tokens.Count == 0) return null;
        string text = r.Tokens[^1].Value;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            return Error<int?>(r, $"{name}: '{text}' is not an integer");
        if (value > max || value < min)
            return Error<int?>(r, min == 1 ? $"{name}: must be a positive integer up to {max}, got {text}"
                : $"{name}: must be an integer from {min} to {max}, got {text}");
        return (int)value;
    }

    private static double? ParseReal(ArgumentResult r, string name, bool allowZero)
    {
        if (r.Tokens.Count == 0) return null;
        string text = r.Tokens[^1].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return Error<double?>(r, $"{name}: '{text}' is not a number");
        if (!double.IsFinite(value) || value < 0 || (value == 0 && !allowZero))
            return Error<double?>(r, $"{name}: must be a {(allowZero ? "non-negative" : "positive")} finite number, got {text}");
        return value;
    }

    private static T? Error<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default;
    }
}
