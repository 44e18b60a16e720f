namespace LeakLab.Tests.TypeNames;

/// <summary>
/// Issue 8, item 1: a snapshot names a static only when the object in its slot has the type ClrMD read, and the
/// runtime's events name a nested type without its declaring types (a generic one's arguments move onto it).
/// </summary>
public sealed class NestedTypeMatchTests
{
    [Theory]
    [InlineData("Shop.Invoice", "Shop.Invoice")]
    [InlineData("CouponBox", "Shop.StaticsShape+CouponBox")]
    [InlineData("<>c", "System.Type+<>c")]
    [InlineData("<>c<System.Char>", "System.Buffers.SharedArrayPool<System.Char>+<>c")]
    [InlineData("Entry<System.Object[], System.Object>[]", "System.Runtime.CompilerServices.ConditionalWeakTable<System.Object[], System.Object>+Entry[]")]
    [InlineData("Index<Shop.Invoice>", "Shop.Registry<Shop.Invoice>+Index")]
    [InlineData("Inner<A, B<C>, D>", "Outer<A, B<C>>+Inner<D>")]
    [InlineData("Leaf<A, B>", "X<A>+Y<B>+Leaf")]
    public void Names_of_one_type_agree(string fromEvents, string fromClrMd) =>
        Assert.True(NestedTypeMatch.SameType(fromEvents, fromClrMd));

    [Theory]
    [InlineData("Shop.Invoice", "Shop.Receipt")]
    [InlineData("Box", "Shop.StaticsShape+CouponBox")]
    [InlineData("<>c<System.Byte>", "System.Buffers.SharedArrayPool<System.Char>+<>c")]
    [InlineData("Entry<System.Object[], System.Object>", "System.Runtime.CompilerServices.ConditionalWeakTable<System.Object[], System.Object>+Entry[]")]
    [InlineData("Index<Shop.Invoice>", "Shop.Registry<Shop.Invoice>+Other")]
    [InlineData("List<Shop.Invoice>", "System.Collections.Generic.List<Shop.Invoice>")]
    public void Names_of_different_types_do_not(string fromEvents, string fromClrMd) =>
        Assert.False(NestedTypeMatch.SameType(fromEvents, fromClrMd));
}
