using System.CommandLine;
using System.Globalization;
using Mnist.Models;

namespace Mnist.Cli;

/// <summary>
/// `train --log-every N|recipe`: log exactly every N steps, or at the tutorial's own interval. Without it
/// the recipe's interval is shortened where needed so every run logs at least 50 points.
/// </summary>
internal static class LogEveryOption
{
    public const string Recipe = "recipe";

    public static Option<string?> Create()
    {
        var option = new Option<string?>("--log-every")
        {
            Description = "Log a progress line and a metrics record every N steps, or \"recipe\" for the tutorial's interval " +
                          "(default: the recipe's, shortened so a run logs at least 50 points; the last step always)",
            HelpName = "N|recipe",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is string v && v != Recipe && Parse(v) is null)
                r.AddError($"--log-every must be a positive integer or \"{Recipe}\", got {v}");
        });
        return option;
    }

    public static TrainingSettings Apply(TrainingSettings settings, string? value) => value switch
    {
        null => settings,
        Recipe => settings with { FixedLogEvery = true },
        _ => settings with { LogEvery = Parse(value)!.Value, FixedLogEvery = true },
    };

    private static int? Parse(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;
}
