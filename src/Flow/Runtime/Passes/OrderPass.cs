namespace Flow;

/// <summary>
/// Pass 2: a run order in which every op follows its data and control inputs. A graph only grows, and an op's
/// inputs exist before it, so creation order is one; it is also the order the results' bits are defined by.
/// </summary>
internal static class OrderPass
{
    public static List<Operation> Run(IEnumerable<Operation> ops) => ops.OrderBy(o => o.Id).ToList();
}
