namespace Flow;

/// <summary>Values for placeholders (or any other tensors) in one run: <c>new FeedDict { [x] = images, [y] = labels }</c>.</summary>
public sealed class FeedDict : Dictionary<Tensor, HostTensor>
{
}

/// <summary>An error in what was fed or fetched: a missing or mistyped feed, an uninitialised variable.</summary>
public sealed class FeedException(string message) : Exception(message);
