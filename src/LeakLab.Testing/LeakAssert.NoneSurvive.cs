using System.Globalization;
using System.Text;

namespace LeakLab.Testing;

public static partial class LeakAssert
{
    /// <summary>Asserts that <paramref name="block"/> leaves no more live instances of <typeparamref name="T"/> than there were before it.</summary>
    /// <inheritdoc cref="NoneSurvive(Func{string, bool}, Action, string)" path="/remarks"/>
    /// <inheritdoc cref="NoneSurvive(Func{string, bool}, Action, string)" path="/exception"/>
    public static void NoneSurvive<T>(Action block) => NoneSurvive(typeof(T), block);

    /// <summary>Asserts that <paramref name="block"/> leaves no more live instances of <paramref name="type"/> (exactly that type) than there were before it.</summary>
    /// <inheritdoc cref="NoneSurvive(Func{string, bool}, Action, string)" path="/remarks"/>
    /// <inheritdoc cref="NoneSurvive(Func{string, bool}, Action, string)" path="/exception"/>
    public static void NoneSurvive(Type type, Action block)
    {
        ArgumentNullException.ThrowIfNull(type);
        string name = TypeNames.Of(type);
        NoneSurvive(t => t == name, block, name);
    }

    /// <summary>
    /// Asserts that <paramref name="block"/> leaves no more live objects of the types <paramref name="typeName"/> accepts
    /// than there were before it: per type, the count after the block (and a full GC) must not exceed the count before.
    /// </summary>
    /// <param name="typeName">
    /// Chooses types by their name as heap snapshots spell them: namespace-qualified, C#-style generics with ", ",
    /// nested types after '+' (<c>MyApp.Cache&lt;System.String&gt;+Entry</c>).
    /// </param>
    /// <param name="block">The code under test; its exceptions propagate.</param>
    /// <param name="description">What the types are, for the message ("MyApp.* types").</param>
    /// <remarks>
    /// Counts come from two EventPipe heap snapshots of this process, one before and one after the block, each after
    /// <see cref="FullGc.Collect"/>: about 0.5–1.5 s per snapshot for a test process of a few hundred thousand objects
    /// (README). Objects of other types, and objects other tests allocate meanwhile, do not matter.
    /// </remarks>
    /// <exception cref="LeakAssertionException">
    /// More instances after than before; the message names the types with both counts and the shortest retention path
    /// of one instance, from a heap dump of this process (a few seconds more, only on failure).
    /// </exception>
    /// <exception cref="LeakLabException">No heap snapshot of this process could be taken (diagnostics disabled).</exception>
    public static void NoneSurvive(Func<string, bool> typeName, Action block, string description)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);

        FullGc.Collect();
        Dictionary<string, int> before = CountLive(typeName);
        block();
        FullGc.Collect();
        Dictionary<string, int> after = CountLive(typeName);

        var grown = after.Where(a => a.Value > before.GetValueOrDefault(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        if (grown.Count == 0)
            return;
        int survivors = grown.Sum(g => g.Value - before.GetValueOrDefault(g.Key));
        var headline = new StringBuilder();
        headline.Append(CultureInfo.InvariantCulture,
            $"{survivors:N0} instance{(survivors == 1 ? "" : "s")} of {description} survived the block (counted after a full GC):\n");
        foreach ((string type, int count) in grown)
            headline.Append(CultureInfo.InvariantCulture, $"  {type}: {before.GetValueOrDefault(type):N0} before, {count:N0} after\n");
        var grownTypes = grown.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        throw Failure(headline.ToString(), SurvivorQuery.ByType(grownTypes.Contains));
    }

    /// <summary>Live objects per matching type name, from an EventPipe snapshot of this process.</summary>
    private static Dictionary<string, int> CountLive(Func<string, bool> typeName)
    {
        HeapGraph graph = SelfSnapshots.EventPipe().Graph;
        var matches = new bool[graph.TypeCount];
        for (int t = 0; t < matches.Length; t++)
            matches[t] = typeName(graph.TypeName((TypeId)t));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int v = 0; v < graph.NodeCount; v++)
        {
            int t = graph.TypeOf((NodeId)v);
            if (matches[t])
                counts[graph.TypeName((TypeId)t)] = counts.GetValueOrDefault(graph.TypeName((TypeId)t)) + 1;
        }
        return counts;
    }
}
