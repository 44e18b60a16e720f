using System.Reflection;
using LeakLab.Testing.Tests.Scenarios;

namespace LeakLab.Testing.Tests;

/// <summary>Reflection types get the names heap snapshots give them, so NoneSurvive&lt;T&gt; and HeapDifference.Of find their rows.</summary>
public sealed class TypeNamesTests
{
    [Fact]
    public void Generic_and_nested_types_are_spelled_as_in_snapshots()
    {
        Assert.Equal("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Testing.Tests.Scenarios.CachedOrder>",
            TypeNames.Of(typeof(Dictionary<long, CachedOrder>)));
        Assert.Equal("System.Threading.CancellationTokenSource+Linked1CancellationTokenSource",
            TypeNames.Of(typeof(CancellationTokenSource).GetNestedType("Linked1CancellationTokenSource", BindingFlags.NonPublic)!));
        Assert.Equal("LeakLab.Testing.Tests.Scenarios.CachedOrder[]", TypeNames.Of(typeof(CachedOrder[])));
    }
}
