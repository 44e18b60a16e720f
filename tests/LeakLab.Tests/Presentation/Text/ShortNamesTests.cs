namespace LeakLab.Tests.Presentation.Text;

public sealed class ShortNamesTests
{
    [Theory]
    [InlineData("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>+Entry[]", "Dictionary<Int64, CachedOrder>+Entry[]")]
    [InlineData("System.Collections.Generic.Dictionary<System.Guid, Shop.Caching.CachedOrder>", "Dictionary<Guid, CachedOrder>")]
    [InlineData("System.Byte[]", "Byte[]")]
    [InlineData("System.Int32[,]", "Int32[,]")]
    [InlineData("Shop.Outer<Shop.A>+Inner<Shop.B>", "Outer<A>+Inner<B>")]
    [InlineData("Shop.Program+<>c__DisplayClass0_0", "Program+<>c__DisplayClass0_0")]
    [InlineData("Shop.Program+<Main>d__1", "Program+<Main>d__1")]
    [InlineData("Free", "Free")]
    [InlineData("System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<System.String, System.Object>>", "List<KeyValuePair<String, Object>>")]
    public void Types_lose_their_namespaces_but_keep_generic_arguments_and_nesting(string full, string expected) =>
        Assert.Equal(expected, ShortNames.Type(full));

    [Theory]
    [InlineData("static LeakLab.Sample.OrderCache.Entries", "static OrderCache.Entries")]
    [InlineData("static Shop.Caching.Registry<Shop.Caching.Invoice>.Items", "static Registry<Invoice>.Items")]
    [InlineData("thread 1 (os 0x1a2b): Shop.Program.Main", "thread 1 (os 0x1a2b): Program.Main")]
    [InlineData("strong handle → System.Object[]", "strong handle → Object[]")]
    [InlineData("thread 3 (os 0x10): Shop.Program+<Run>d__4.MoveNext", "thread 3 (os 0x10): Program+<Run>d__4.MoveNext")]
    public void Roots_keep_the_type_and_member(string full, string expected) =>
        Assert.Equal(expected, ShortNames.Member(full));

    [Fact]
    public void Numbers_are_not_names() =>
        Assert.Equal("grew 1.5 times", ShortNames.Type("grew 1.5 times"));

    [Fact]
    public void Two_types_that_would_read_the_same_keep_their_full_names()
    {
        string[] shown = ShortNames.Distinct(["System.Threading.Timer", "System.Timers.Timer", "System.Byte[]"], ShortNames.Type);
        Assert.Equal(["System.Threading.Timer", "System.Timers.Timer", "Byte[]"], shown);
    }
}
