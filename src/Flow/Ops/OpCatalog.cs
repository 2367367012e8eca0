using System.Reflection;

namespace Flow;

/// <summary>Every op definition Flow publishes (the <c>…Def</c> fields of <see cref="Tf"/> and <see cref="Graph"/>).</summary>
public static class OpCatalog
{
    private static readonly Lazy<IReadOnlyList<OpDef>> AllDefs = new(() =>
        new[] { typeof(Tf), typeof(Graph) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(OpDef))
            .Select(f => (OpDef)f.GetValue(null)!)
            .OrderBy(d => d.Type, StringComparer.Ordinal)
            .ToArray());

    /// <summary>The built-in op definitions, ordered by name: what a backend or an exporter must cover.</summary>
    public static IReadOnlyList<OpDef> All => AllDefs.Value;
}
