using Xunit;

namespace LeakLab.Tests.TypeNames;

public class TypeNameNormalizerTests
{
    private const string Asm = "System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e";

    [Theory]
    // ClrMD names are canonical already.
    [InlineData("System.String", "System.String")]
    [InlineData("System.Byte[]", "System.Byte[]")]
    [InlineData("System.Collections.Generic.Dictionary<System.String, System.Byte[]>", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>")]
    [InlineData("System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]")]
    // Spacing differences collapse to ", ".
    [InlineData("System.Collections.Generic.Dictionary<System.String,System.Byte[]>", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>")]
    [InlineData("  System.Collections.Generic.Dictionary< System.String ,  System.Byte[] >  ", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>")]
    // EventPipe / reflection style.
    [InlineData("System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>")]
    [InlineData("System.Collections.Generic.Dictionary`2+Entry[[System.String],[System.Byte[]]][]", "System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]")]
    [InlineData("System.Collections.Generic.List`1[System.String][]", "System.Collections.Generic.List<System.String>[]")]
    [InlineData("System.Collections.Generic.List`1[System.Int32[,]]", "System.Collections.Generic.List<System.Int32[,]>")]
    // A nested generic type named without its outer type: the arguments stay on the only segment there is.
    [InlineData("Entry[System.String,System.Byte[]][]", "Entry<System.String, System.Byte[]>[]")]
    // Arity markers are dropped; an open generic keeps its bare name.
    [InlineData("System.Collections.Generic.List`1", "System.Collections.Generic.List")]
    // Arguments go to the nested segment that declares them.
    [InlineData("Outer`1+Inner`1[[A],[B]]", "Outer<A>+Inner<B>")]
    [InlineData("Outer`1+Inner[[A]]", "Outer<A>+Inner")]
    [InlineData("Outer`2+Inner`1[A,B,C][]", "Outer<A, B>+Inner<C>[]")]
    [InlineData("Outer<A>+Inner<B>", "Outer<A>+Inner<B>")]
    // Arrays: jagged, multi-dimensional, non-zero lower bound; pointers.
    [InlineData("System.Int32[][]", "System.Int32[][]")]
    [InlineData("System.Int32[,,]", "System.Int32[,,]")]
    [InlineData("System.Int32[ , ]", "System.Int32[,]")]
    [InlineData("System.Int32[*]", "System.Int32[*]")]
    [InlineData("System.Byte*", "System.Byte*")]
    [InlineData("System.Collections.Generic.List`1[System.Int32*]", "System.Collections.Generic.List<System.Int32*>")]
    // Compiler-generated names are left alone, also as generic arguments and with generic arguments.
    [InlineData("Program+<>c__DisplayClass0_0", "Program+<>c__DisplayClass0_0")]
    [InlineData("Program+<Main>d__1", "Program+<Main>d__1")]
    [InlineData("Program+<<Main>$>d__0", "Program+<<Main>$>d__0")]
    [InlineData("Program+<>c", "Program+<>c")]
    [InlineData("<PrivateImplementationDetails>+__StaticArrayInitTypeSize=16", "<PrivateImplementationDetails>+__StaticArrayInitTypeSize=16")]
    [InlineData("Program+<<Main>g__Local|0_0>d", "Program+<<Main>g__Local|0_0>d")]
    [InlineData("System.Collections.Generic.List<Program+<>c__DisplayClass0_0>", "System.Collections.Generic.List<Program+<>c__DisplayClass0_0>")]
    [InlineData("System.Collections.Generic.List`1[[Program+<>c__DisplayClass0_0, Sample]]", "System.Collections.Generic.List<Program+<>c__DisplayClass0_0>")]
    [InlineData("<>f__AnonymousType0`2[System.Int32,System.String]", "<>f__AnonymousType0<System.Int32, System.String>")]
    [InlineData("<>f__AnonymousType0<System.Int32, System.String>", "<>f__AnonymousType0<System.Int32, System.String>")]
    [InlineData("Program+<RunAsync>d__3`1[System.Int32]", "Program+<RunAsync>d__3<System.Int32>")]
    public void Normalizes(string input, string expected) =>
        Assert.Equal(expected, TypeNameNormalizer.Normalize(input));

    [Fact]
    public void DropsAssemblyNamesEverywhere()
    {
        Assert.Equal("System.String", TypeNameNormalizer.Normalize($"System.String, {Asm}"));
        Assert.Equal(
            "System.Collections.Generic.Dictionary<System.String, System.Byte[]>",
            TypeNameNormalizer.Normalize($"System.Collections.Generic.Dictionary`2[[System.String, {Asm}],[System.Byte[], {Asm}]], {Asm}"));
        Assert.Equal(
            "System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<System.String, System.Int32>>",
            TypeNameNormalizer.Normalize(
                $"System.Collections.Generic.List`1[[System.Collections.Generic.KeyValuePair`2[[System.String, {Asm}],[System.Int32, {Asm}]], {Asm}]]"));
        Assert.Equal("System.Nullable<System.Int32>", TypeNameNormalizer.Normalize($"System.Nullable`1[[System.Int32, {Asm}]]"));
    }

    [Fact]
    public void ClrMdAndEventPipeFormsOfTheSameTypeAgree()
    {
        (string ClrMd, string EventPipe)[] pairs =
        [
            ("System.Collections.Generic.Dictionary<System.String, System.Byte[]>", "System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]"),
            ("System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]", "System.Collections.Generic.Dictionary`2+Entry[[System.String],[System.Byte[]]][]"),
            ("System.Collections.Generic.List<System.Collections.Generic.List<System.Int32>>", "System.Collections.Generic.List`1[[System.Collections.Generic.List`1[[System.Int32, System.Private.CoreLib]], System.Private.CoreLib]]"),
            ("System.EventHandler<System.EventArgs>[]", "System.EventHandler`1[System.EventArgs][]"),
        ];
        foreach ((string clrmd, string eventPipe) in pairs)
            Assert.Equal(TypeNameNormalizer.Normalize(clrmd), TypeNameNormalizer.Normalize(eventPipe));
    }

    [Fact]
    public void IsIdempotent()
    {
        string[] inputs =
        [
            "System.Collections.Generic.Dictionary`2+Entry[[System.String],[System.Byte[]]][]",
            "Outer`1+Inner`1[[A],[B]]",
            "Program+<<Main>$>d__0",
            $"System.Nullable`1[[System.Int32, {Asm}]]",
            "System.Int32[,][]",
        ];
        foreach (string input in inputs)
        {
            string once = TypeNameNormalizer.Normalize(input);
            Assert.Equal(once, TypeNameNormalizer.Normalize(once));
        }
    }

    [Theory]
    // Garbage and half names never throw: they come back trimmed and unchanged.
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("Dictionary<System.String", "Dictionary<System.String")]
    [InlineData("List`1[[System.String", "List`1[[System.String")]
    [InlineData(" Foo>Bar ", "Foo>Bar")]
    [InlineData("List`x[A]", "List`x[A]")]
    [InlineData("System.Int32[]<A>", "System.Int32[]<A>")]
    [InlineData("<Unloaded Type>", "<Unloaded Type>")]
    public void LeavesUnparsableNamesAlone(string input, string expected) =>
        Assert.Equal(expected, TypeNameNormalizer.Normalize(input));

    [Fact]
    public void SurvivesHostileNesting()
    {
        string deep = string.Concat(Enumerable.Repeat("List<", 5000)) + "X" + new string('>', 5000);
        Assert.Equal(deep, TypeNameNormalizer.Normalize(deep)); // too deep to be real: unchanged, no stack overflow
        string fine = string.Concat(Enumerable.Repeat("List`1[", 20)) + "X" + new string(']', 20);
        Assert.Equal(string.Concat(Enumerable.Repeat("List<", 20)) + "X" + new string('>', 20), TypeNameNormalizer.Normalize(fine));
    }

    [Fact]
    public void CachesEachDistinctInput()
    {
        string input = new("System.Collections.Generic.Dictionary`2[System.String,System.Object]".ToCharArray());
        string first = TypeNameNormalizer.Normalize(input);
        Assert.Same(first, TypeNameNormalizer.Normalize(input));
    }
}
