using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace LeakLab.Testing;

public static partial class LeakAssert
{
    /// <summary>
    /// Asserts that the targets of <paramref name="references"/> are garbage: after <see cref="FullGc.Collect"/> every
    /// reference's target is gone.
    /// </summary>
    /// <param name="references">Short weak references (<c>new WeakReference(obj)</c>) to the objects that must die.</param>
    /// <exception cref="LeakAssertionException">
    /// A target is still alive. The message lists the survivors by type and the shortest retention path of the first one,
    /// located by its address, from a heap dump of this process (adds a few seconds, only on failure).
    /// </exception>
    /// <exception cref="ArgumentException">No references, or a null one.</exception>
    /// <remarks>Costs one <see cref="FullGc.Collect"/> when it passes (tens of milliseconds).</remarks>
    public static void Collected(params WeakReference[] references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Length == 0 || references.Any(r => r is null))
            throw new ArgumentException("Pass at least one WeakReference, and no nulls.", nameof(references));

        FullGc.Collect();
        List<WeakReference> alive = [.. references.Where(r => r.IsAlive)];
        if (alive.Count == 0)
            return;

        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (WeakReference reference in alive)
        {
            if (TypeNameOf(reference) is { } name)
                types[name] = types.GetValueOrDefault(name) + 1;
        }
        (ulong address, int gen2, string? firstType) = Locate(alive[0]);
        if (firstType is null)
            return; // died between the check and now: nothing leaked after all

        var headline = new StringBuilder();
        headline.Append(CultureInfo.InvariantCulture,
            $"{alive.Count} of {references.Length} object{(references.Length == 1 ? "" : "s")} expected to be garbage {(alive.Count == 1 ? "is" : "are")} still alive after a full GC:\n");
        foreach ((string type, int count) in types)
            headline.Append(CultureInfo.InvariantCulture, $"  {type}  x{count}\n");
        throw Failure(headline.ToString(), new SurvivorQuery(address, gen2, name => name == firstType));
    }

    // Not inlined, so the strong reference to the target ends with this frame and never reaches a snapshot.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? TypeNameOf(WeakReference reference) =>
        reference.Target is { } target ? TypeNames.Of(target.GetType()) : null;

    /// <summary>
    /// The target's address, valid while <see cref="GC.CollectionCount"/>(2) stays at the returned count; 0 when the
    /// object is not in generation 2 (younger objects move in every GC, so only the type can find them).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ulong Address, int Gen2Collections, string? Type) Locate(WeakReference reference)
    {
        object? target = reference.Target;
        if (target is null)
            return (0, -1, null);
        string type = TypeNames.Of(target.GetType());
        int gen2 = GC.CollectionCount(2);
        ulong address = (ulong)Unsafe.As<object, nint>(ref target);
        bool stable = GC.GetGeneration(target) == GC.MaxGeneration && GC.CollectionCount(2) == gen2;
        return stable ? (address, gen2, type) : (0, -1, type);
    }
}
