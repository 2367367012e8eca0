namespace Mnist.Training;

/// <summary>
/// Which steps of a run are logged (a progress line and a metrics record) and at which of them
/// validation accuracy is measured, and on how many validation images.
/// </summary>
/// <remarks>
/// The tutorials log at a fixed interval (every 100 or 250 steps), which leaves a short run with one
/// or two points; by default the interval is shortened to a round number that gives every run at least
/// <see cref="MinimumPoints"/> points. The last step is always logged, so a curve ends where training did.
/// Validation accuracy is measured at <see cref="ValidationPoints"/> evenly spaced logged steps and the
/// last, on as many validation images as keep its cost under 5% of training (see <see cref="ValidationImages"/>).
/// </remarks>
public sealed class LogSchedule
{
    public const int MinimumPoints = 50;
    /// <summary>Validation is measured at the start and after each tenth of the run (11 points, fewer on a very short run).</summary>
    public const int ValidationPoints = 10;
    /// <summary>
    /// The budget for validating, as a fraction of the images trained on. Validating an image costs at most
    /// what training on it does (a forward pass and the same pixel gathering, without the backward pass and
    /// the update), so validating 4.5% as many images as were trained on stays under 5% of training for any
    /// model, softmax included, whose step is mostly gathering pixels.
    /// </summary>
    private const double ValidationBudget = 0.045;

    private readonly int _steps;
    private readonly HashSet<int> _validated;

    /// <param name="steps">Training steps of the run.</param>
    /// <param name="recipeInterval">The tutorial's own logging interval.</param>
    /// <param name="fixedInterval">Log exactly every <paramref name="recipeInterval"/> steps (and the last), as the tutorial prints.</param>
    /// <param name="validateEveryLog">Validate at every logged step (convolutional.py does) instead of at <see cref="ValidationPoints"/>.</param>
    public LogSchedule(int steps, int recipeInterval, bool fixedInterval = false, bool validateEveryLog = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recipeInterval);
        _steps = steps;
        Interval = fixedInterval ? recipeInterval : Math.Min(recipeInterval, RoundInterval(steps / MinimumPoints));
        ValidatesEveryLog = validateEveryLog;
        // The first logged step at or after each tenth of the run, and the last step.
        _validated = Enumerable.Range(0, ValidationPoints)
            .Select(k => NextLogged((int)Math.Ceiling(k * (double)steps / ValidationPoints)))
            .Append(steps - 1)
            .Where(s => s >= 0)
            .ToHashSet();
    }

    /// <summary>Steps between logged steps.</summary>
    public int Interval { get; }

    public bool ValidatesEveryLog { get; }

    public bool IsLogged(int step) => step % Interval == 0 || step == _steps - 1;

    public bool IsValidated(int step) => IsLogged(step) && (ValidatesEveryLog || _validated.Contains(step));

    /// <summary>The logged steps in order.</summary>
    public IEnumerable<int> LoggedSteps => Enumerable.Range(0, _steps).Where(IsLogged);

    /// <summary>
    /// Validation images to measure at each validated step: all of them when every log validates (the
    /// tutorial's own cost), else as many as the budget allows for <paramref name="batchSize"/>-image steps, at least one.
    /// </summary>
    public int ValidationImages(int batchSize, int available)
    {
        if (ValidatesEveryLog) return available;
        double budget = ValidationBudget * _steps * batchSize / Math.Max(1, _validated.Count);
        return Math.Clamp((int)budget, Math.Min(1, available), available);
    }

    /// <summary>The largest of 1, 2, 5, 10, 20, 50, ... not above <paramref name="limit"/> (1 if it is below 1).</summary>
    public static int RoundInterval(int limit)
    {
        int best = 1;
        for (long decade = 1; decade <= limit; decade *= 10)
            foreach (int m in (int[])[1, 2, 5])
                if (m * decade <= limit) best = (int)(m * decade);
        return best;
    }

    private int NextLogged(int step)
    {
        int rounded = (step + Interval - 1) / Interval * Interval;
        return Math.Min(rounded, _steps - 1);
    }
}
