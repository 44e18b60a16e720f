using Xunit;

namespace LeakLab.Tests.Notebooks;

public class MagicCommandParserTests
{
    private readonly MagicCommandParser _parser = new();

    [Fact]
    public void StatsWithEveryOption()
    {
        var cmd = Assert.IsType<StatsMagicCommand>(_parser.Parse("#!leaklab stats s2 --top 5 --type Byte[] --retained"));
        Assert.Equal(new StatsMagicCommand("s2", 5, "Byte[]", true), cmd);
    }

    [Fact]
    public void StatsDefaults()
    {
        Assert.Equal(new StatsMagicCommand(null, 20, null, false), _parser.Parse("#!leaklab stats"));
    }

    [Fact]
    public void PrefixIsOptionalAndOptionsAcceptEquals()
    {
        Assert.Equal(new StatsMagicCommand(null, 7, null, false), _parser.Parse("stats --top=7"));
    }

    [Fact]
    public void LoadKeepsAQuotedPathWithSpaces()
    {
        var cmd = Assert.IsType<LoadMagicCommand>(_parser.Parse("#!leaklab load \"/tmp/my dumps/a b.dmp\" --as first"));
        Assert.Equal("/tmp/my dumps/a b.dmp", cmd.Path);
        Assert.Equal("first", cmd.Name);

        var single = Assert.IsType<LoadMagicCommand>(_parser.Parse("#!leaklab load '/x y/z.dmp'"));
        Assert.Equal("/x y/z.dmp", single.Path);
    }

    [Fact]
    public void DumpNeedsExactlyOneOfPidOrName()
    {
        Assert.Equal(new DumpMagicCommand(42, null, "s1"), _parser.Parse("#!leaklab dump --pid 42 --as s1"));
        Assert.Equal(new DumpMagicCommand(null, "LeakLab.Sample", null), _parser.Parse("#!leaklab dump --name LeakLab.Sample"));
        var neither = Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab dump"));
        Assert.Equal(LeakLabErrorKind.BadArgument, neither.Kind);
        Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab dump --pid 1 --name x"));
    }

    [Fact]
    public void DumpTakesAPositiveTimeoutInSeconds()
    {
        Assert.Equal(new DumpMagicCommand(42, null, null, 90), _parser.Parse("#!leaklab dump --pid 42 --timeout 90"));
        Assert.Null(Assert.IsType<DumpMagicCommand>(_parser.Parse("#!leaklab dump --pid 42")).TimeoutSeconds);
        foreach (string bad in new[] { "0", "-5", "soon" })
            Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse($"#!leaklab dump --pid 42 --timeout {bad}")).Kind);
    }

    [Fact]
    public void PathsByTypeOrHexAddress()
    {
        Assert.Equal(new PathsMagicCommand(null, "OrderCache", null, 3), _parser.Parse("#!leaklab paths --type OrderCache --limit 3"));
        var byAddress = Assert.IsType<PathsMagicCommand>(_parser.Parse("#!leaklab paths s1 --address 0x7f3A10"));
        Assert.Equal(0x7f3a10UL, byAddress.Address);
        Assert.Equal("s1", byAddress.Snapshot);
        Assert.Equal(0xabcUL, Assert.IsType<PathsMagicCommand>(_parser.Parse("paths --address abc")).Address);
        var bad = Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab paths --address zz"));
        Assert.Equal(LeakLabErrorKind.BadArgument, bad.Kind);
    }

    [Fact]
    public void RootsKindIsValidated()
    {
        Assert.Equal([RootKind.StaticField], Assert.IsType<RootsMagicCommand>(_parser.Parse("#!leaklab roots --kind staticfield")).Kinds);
        // The CLI's words: a group name selects several kinds.
        Assert.Equal([RootKind.StaticField, RootKind.ThreadStaticField], Assert.IsType<RootsMagicCommand>(_parser.Parse("#!leaklab roots --kind static")).Kinds);
        Assert.Equal([RootKind.FinalizerQueue], Assert.IsType<RootsMagicCommand>(_parser.Parse("#!leaklab roots --kind finalizer-queue")).Kinds);
        Assert.Null(Assert.IsType<RootsMagicCommand>(_parser.Parse("#!leaklab roots")).Kinds);
        var bad = Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab roots --kind 3"));
        Assert.Equal(LeakLabErrorKind.BadArgument, bad.Kind);
    }

    [Fact]
    public void ToNamesAVariableOnTabularSubcommandsOnly()
    {
        Assert.Equal("big", _parser.Parse("#!leaklab stats --top 3 --to big").To);
        Assert.Null(_parser.Parse("#!leaklab stats --top 3").To);
        Assert.Equal("d", _parser.Parse("#!leaklab diff a b --to d").To);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab stats --to 2x")).Kind);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab load a.dmp --to x")).Kind);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab roots --to")).Kind);
    }

    [Fact]
    public void SqlTakesLeadingToThenTheQueryVerbatimOverSeveralLines()
    {
        var sql = Assert.IsType<SqlMagicCommand>(_parser.Parse("#!leaklab sql --to t\nSELECT type,\n  count -- a comment\nFROM types"));
        Assert.Equal("t", sql.To);
        Assert.Equal("SELECT type,\n  count -- a comment\nFROM types", sql.Sql);
        Assert.Null(_parser.Parse("#!leaklab sql SELECT [type] FROM types").To);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab sql --to t")).Kind);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab sql --top 3 SELECT 1")).Kind);
    }

    [Fact]
    public void DiffTakesAnyNumberOfSnapshotsButNotOne()
    {
        Assert.Empty(Assert.IsType<DiffMagicCommand>(_parser.Parse("#!leaklab diff")).Snapshots);
        Assert.Equal(["a", "b", "c"], Assert.IsType<DiffMagicCommand>(_parser.Parse("#!leaklab diff a b c")).Snapshots);
        Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab diff a"));
    }

    [Fact]
    public void SqlKeepsTheQueryVerbatimIncludingLaterLines()
    {
        var cmd = Assert.IsType<SqlMagicCommand>(_parser.Parse("#!leaklab sql SELECT type, count FROM types WHERE type LIKE '%--top%'"));
        Assert.Equal("SELECT type, count FROM types WHERE type LIKE '%--top%'", cmd.Sql);
        var multi = Assert.IsType<SqlMagicCommand>(_parser.Parse("#!leaklab sql\nSELECT *\nFROM types"));
        Assert.Equal("SELECT *\nFROM types", multi.Sql);
        Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab sql   "));
    }

    [Fact]
    public void ChartKinds()
    {
        Assert.Equal(new ChartMagicCommand(ChartKind.Growth, null, 10), _parser.Parse("#!leaklab chart growth"));
        Assert.Equal(new ChartMagicCommand(ChartKind.Generations, "s3", 4), _parser.Parse("#!leaklab chart generations s3 --top 4"));
        var bad = Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab chart pie"));
        Assert.Equal(LeakLabErrorKind.BadArgument, bad.Kind);
    }

    [Theory]
    [InlineData("#!leaklab frobnicate", "unknown subcommand 'frobnicate'", "load|dump|stats|paths|roots|retained|diff|sql|chart")]
    [InlineData("#!leaklab", "subcommand is missing", "load|dump|stats")]
    [InlineData("#!leaklab stats --bogus 1", "unknown option '--bogus'", "#!leaklab stats [SNAPSHOT] [--top N]")]
    [InlineData("#!leaklab stats --top", "--top needs a value (N)", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab stats --top ten", "--top needs a positive whole number, not 'ten'", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab stats --top -3", "--top needs a positive whole number", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab stats a b", "unexpected argument 'b'", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab stats --retained=yes", "--retained takes no value", "Usage")]
    [InlineData("#!leaklab stats --top 1 --top 2", "--top is given twice", "Usage")]
    [InlineData("#!leaklab load", "the PATH of a dump or .llhg snapshot is missing", "Usage: #!leaklab load PATH [--as NAME]")]
    [InlineData("#!leaklab load \"/unterminated", "double quote is not closed", "")]
    [InlineData("#!leaklab paths", "exactly one of --type or --address", "Usage: #!leaklab paths")]
    public void BadInputGivesOneLineWithUsage(string text, string problem, string usage)
    {
        var error = Assert.Throws<LeakLabException>(() => _parser.Parse(text));
        Assert.Equal(LeakLabErrorKind.BadArgument, error.Kind);
        Assert.Contains(problem, error.Message);
        Assert.Contains(usage, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("#!leaklab stats", true)]
    [InlineData("   #!leaklab", true)]
    [InlineData("#!leaklabx stats", false)]
    [InlineData("// #!leaklab stats", false)]
    [InlineData("#!csharp", false)]
    public void RecognisesMagicLines(string line, bool expected) => Assert.Equal(expected, MagicCommandParser.IsMagicLine(line));

    [Fact]
    public void ARegistryLineAddsASubcommand()
    {
        var registry = new MagicCommandRegistry([.. MagicCommandRegistry.Default.Subcommands, new PingSubcommand()]);
        var parser = new MagicCommandParser(registry);
        Assert.Equal(new PingCommand("x"), parser.Parse("#!leaklab ping x"));
        Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab ping x"));
        Assert.Throws<ArgumentException>(() => new MagicCommandRegistry([new PingSubcommand(), new PingSubcommand()]));
    }

    private sealed record PingCommand(string Text) : MagicCommand
    {
        public override Task<object?> ExecuteAsync(LeakLabSession session) => Task.FromResult<object?>(Text);
    }

    private sealed class PingSubcommand : MagicSubcommand
    {
        public override string Name => "ping";
        public override string Usage => "#!leaklab ping TEXT";
        public override string Description => "Echo.";
        public override int MaxPositional => 1;
        public override MagicCommand Parse(MagicArguments args) => new PingCommand(args.PositionalAt(0) ?? throw args.Fail("TEXT is missing"));
    }
}
