using System.Globalization;
using System.Text;

namespace LeakLab.Testing;

/// <summary>What a block did to the live heap of this process, per type; see <see cref="HeapComparison.Run"/>.</summary>
/// <param name="Types">Every type alive before or after, sorted by name.</param>
/// <param name="Followed">
/// True when every GC between the two snapshots was followed, so new, survived and dead are exact; false when some GC's
/// events were missing and objects it moved may count as dead plus new. One rare case stays inexact even then: a
/// background GC frees without reporting what it freed, so if a later GC moves an object of the same type into such a
/// hole, the dead object counts as survived (a heap comparison runs no background GC itself; the block may start one).
/// </param>
/// <param name="Elapsed">The whole comparison without the block: GCs, two snapshots, following the moves.</param>
public sealed record HeapDifference(IReadOnlyList<TypeDifference> Types, bool Followed, TimeSpan Elapsed)
{
    /// <summary>The row of the type named <paramref name="type"/> (as snapshots spell it), or an all-zero row.</summary>
    public TypeDifference this[string type] =>
        Types.FirstOrDefault(t => t.Type == type) ?? new TypeDifference(type, 0, 0, 0, 0, 0, 0);

    /// <summary>The row of <paramref name="type"/>, or an all-zero row.</summary>
    public TypeDifference Of(Type type) => this[Internal.TypeNames.Of(type)];

    /// <summary>The types with new or dead instances, most new first; the top <paramref name="top"/> as a text table.</summary>
    public string ToTable(int top = 20)
    {
        var text = new StringBuilder();
        text.Append("     New  Survived      Dead    Before     After  Type\n");
        foreach (TypeDifference t in Types.Where(t => t.New > 0 || t.Dead > 0).OrderByDescending(t => t.New).ThenByDescending(t => t.Dead).Take(top))
            text.Append(CultureInfo.InvariantCulture, $"{t.New,8:N0}  {t.Survived,8:N0}  {t.Dead,8:N0}  {t.Before,8:N0}  {t.After,8:N0}  {t.Type}\n");
        return text.ToString();
    }

    public override string ToString() => ToTable();
}
