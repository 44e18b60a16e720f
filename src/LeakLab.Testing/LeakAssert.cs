
namespace LeakLab.Testing;

/// <summary>
/// Leak assertions for unit tests, usable from any test framework: each throws <see cref="LeakAssertionException"/>
/// when it fails, with a message that names what survived and why (its shortest retention path, lasting root first).
/// </summary>
/// <remarks>
/// <para>Create the objects under test in a method marked <c>[MethodImpl(MethodImplOptions.NoInlining)]</c> and keep only
/// a <see cref="WeakReference"/> (or nothing) in the test method. Unoptimised code (Debug builds, and tier-0 code, which
/// is what runs first even in Release) keeps every local alive until the method returns, so an object created in the
/// test method itself would look leaked.</para>
/// <para>Parallel tests: <see cref="Collected"/> and the <c>NoneSurvive</c> family look only at their own objects or
/// types, so other tests allocating at the same time do not disturb them (they only make the forced GCs slower). An
/// allocation budget counts the current thread only unless told otherwise. <see cref="HeapComparison"/> sees the whole
/// heap, so objects other tests create at the same time show up in it (README, "Parallel tests").</para>
/// </remarks>
public static partial class LeakAssert
{
    private static LeakAssertionException Failure(string headline, SurvivorQuery query)
    {
        (string explanation, RetentionPath? path) = RetentionExplainer.Explain(query);
        return new LeakAssertionException(headline + explanation, path);
    }
}
