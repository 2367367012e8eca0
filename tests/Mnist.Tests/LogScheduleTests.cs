using Mnist.Training;

namespace Mnist.Tests;

public class LogScheduleTests
{
    [Theory]
    [InlineData(171, 250, 2)]      // lenet --epochs 0.2: the recipe's 250 would log step 0 only
    [InlineData(1000, 100, 20)]    // softmax
    [InlineData(8593, 250, 100)]   // lenet's 10 epochs
    [InlineData(20000, 100, 100)]  // deep: the recipe's own interval already gives 201 points
    [InlineData(49, 100, 1)]
    [InlineData(5, 100, 1)]
    public void IntervalIsRoundAndGivesAtLeastFiftyPointsAndTheLastStep(int steps, int recipe, int interval)
    {
        var schedule = new LogSchedule(steps, recipe);
        Assert.Equal(interval, schedule.Interval);
        var logged = schedule.LoggedSteps.ToList();
        Assert.True(logged.Count >= Math.Min(steps, LogSchedule.MinimumPoints), $"{logged.Count} points");
        Assert.Equal(0, logged[0]);
        Assert.Equal(steps - 1, logged[^1]);
        Assert.All(logged.SkipLast(1), s => Assert.Equal(0, s % interval));
    }

    [Fact]
    public void TheRecipesOwnIntervalIsKeptWhenAskedFor()
    {
        var schedule = new LogSchedule(171, 250, fixedInterval: true);
        Assert.Equal([0, 170], schedule.LoggedSteps);
    }

    [Theory]
    [InlineData(1000, 100)]
    [InlineData(171, 250)]
    [InlineData(8593, 250)]
    [InlineData(7, 100)]
    public void ValidationIsAtTheStartAfterEachTenthAndAtTheEnd(int steps, int recipe)
    {
        var schedule = new LogSchedule(steps, recipe);
        var validated = schedule.LoggedSteps.Where(schedule.IsValidated).ToList();
        Assert.InRange(validated.Count, Math.Min(steps, 2), LogSchedule.ValidationPoints + 1);
        Assert.Equal(0, validated[0]);
        Assert.Equal(steps - 1, validated[^1]);
        // One in each tenth of the run: no two closer than a tenth minus one logging interval.
        var gaps = validated.Zip(validated.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.True(g >= steps / 10 - schedule.Interval, $"gap {g} in {steps} steps"));
    }

    [Fact]
    public void ValidationEveryLogWhenTheTutorialDoesItAndItsIntervalIsAsked()
    {
        var schedule = new LogSchedule(8593, 250, fixedInterval: true, validateEveryLog: true);
        Assert.All(schedule.LoggedSteps, s => Assert.True(schedule.IsValidated(s)));
        Assert.Equal(5000, schedule.ValidationImages(64, 5000));
    }

    [Theory]
    [InlineData(1000, 100, 409)]    // softmax: 0.045 · 100,000 trained images / 11 points
    [InlineData(20000, 50, 4090)]   // deep's full run
    [InlineData(200000, 50, 5000)]  // at most the whole validation set
    [InlineData(1, 100, 4)]
    public void ValidationImagesStayWithinTheBudget(int steps, int batch, int images)
    {
        var schedule = new LogSchedule(steps, 100);
        int points = schedule.LoggedSteps.Count(schedule.IsValidated);
        Assert.Equal(images, schedule.ValidationImages(batch, 5000));
        // Validating an image costs at most what training on one does: under 5% of the trained images.
        Assert.True(points * images <= 0.05 * steps * batch, $"{points} points of {images} images");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(9, 5)]
    [InlineData(20, 20)]
    [InlineData(171, 100)]
    [InlineData(499, 200)]
    public void RoundIntervalIsOneTwoOrFiveTimesAPowerOfTen(int limit, int expected) =>
        Assert.Equal(expected, LogSchedule.RoundInterval(limit));
}
