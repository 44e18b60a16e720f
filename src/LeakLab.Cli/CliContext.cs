namespace LeakLab.Cli;

/// <summary>What every command needs for one run: the writers, cancellation, progress and the dump loader.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        Out = output;
        Error = error;
        Cancellation = cancellation;
        // Only the real console can be a terminal; a test's StringWriter gets plain lines.
        bool errorIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        Progress = new ProgressLine(error, errorIsTerminal);
        TextOptions = new TextReportOptions { MaxWidth = TerminalWidth(output, null), ShortNames = true };
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public CancellationToken Cancellation { get; }
    public ProgressLine Progress { get; }
    public TextReportOptions TextOptions { get; private set; }
    public bool Verbose { get; set; }

    /// <summary>"leaklab paths": the command being run, for "(see 'leaklab paths --help')".</summary>
    public string CommandPath { get; set; } = "leaklab";

    /// <summary>Applies <c>--width</c> and <c>--full-names</c>; a width under 40 columns is a usage error.</summary>
    public void UseLayout(int? width, bool fullNames)
    {
        if (width is < 40 or > 100_000)
            throw new UsageException($"--width must be between 40 and 100000 columns, got {width}");
        TextOptions = TextOptions with { MaxWidth = TerminalWidth(Out, width), ShortNames = !fullNames };
    }

    /// <summary>
    /// Loads a dump or a LeakLab heap snapshot (.llhg, told apart by content) into a heap graph, with a progress phase on
    /// stderr. Bad files become one-line errors. A snapshot needs no DAC, so <paramref name="dacPath"/> only applies to dumps.
    /// </summary>
    public HeapGraph LoadHeap(string file, string? dacPath)
    {
        HeapFile input = CheckInputs(file, dacPath);
        string name = Path.GetFileName(input.Path);
        Progress.Phase($"loading {name}");
        HeapGraph graph = input.IsSnapshot
            ? HeapSnapshotFile.Load(input.Path)
            : LoadDump(input.Path, dacPath);
        Progress.Done($"loaded {name}: {graph.NodeCount:N0} objects, {graph.EdgeCount:N0} references, {graph.Roots.Count:N0} roots{(input.IsSnapshot ? " (snapshot: no field names)" : "")}");
        WarnIfDamaged(name, graph.Info.Damage);
        return graph;
    }

    /// <summary>A dump through its graph index (<see cref="GraphIndex"/>) unless LEAKLAB_NO_INDEX is set; index notes go to stderr.</summary>
    private HeapGraph LoadDump(string path, string? dacPath) => GraphIndex.DisabledByEnvironment
        ? DumpLoader.Load(path, LoadOptions(dacPath))
        : GraphIndex.Open(path, () => DumpLoader.Load(path, LoadOptions(dacPath)), line => Error.WriteLine($"leaklab: note: {line}"));

    /// <summary>
    /// Per-type counts and bytes, with a progress phase on stderr: for a dump from one walk of the heap (no graph),
    /// for a snapshot from its graph (reading the file is the whole cost).
    /// </summary>
    public IReadOnlyList<TypeStat> ReadTypeStatistics(string file, string? dacPath)
    {
        HeapFile input = CheckInputs(file, dacPath);
        if (input.IsSnapshot)
            return TypeStatistics.Compute(LoadHeap(input.Path, dacPath));
        Progress.Phase($"reading type statistics of {Path.GetFileName(input.Path)}");
        IReadOnlyList<TypeStat> stats = DumpLoader.ReadTypeStatistics(input.Path, LoadOptions(dacPath), out HeapDamage damage);
        Progress.Done($"read {Path.GetFileName(input.Path)}: {stats.Sum(s => s.Count):N0} objects in {stats.Count:N0} types");
        WarnIfDamaged(Path.GetFileName(input.Path), damage);
        return stats;
    }

    /// <summary>Never silently wrong: a heap read only in part says so on stderr, whatever the output format.</summary>
    private void WarnIfDamaged(string name, HeapDamage? damage)
    {
        if (damage is { IsDamaged: true })
            Error.WriteLine($"leaklab: warning: {name}: the heap is damaged and was read in part: {damage.Describe()}; results leave the unread objects out");
    }

    /// <summary>Computes dominators with a progress phase; the analysis keeps them for later queries.</summary>
    public DominatorTree Dominators(HeapAnalysis analysis)
    {
        Cancellation.ThrowIfCancellationRequested();
        if (analysis.HasDominators)
            return analysis.Dominators;
        Progress.Phase($"computing retained sizes for {analysis.Graph.Info.Label}");
        DominatorTree tree = analysis.Dominators;
        Progress.Done($"retained sizes of {analysis.Graph.Info.Label}: {analysis.Graph.NodeCount:N0} objects");
        return tree;
    }

    private HeapFile CheckInputs(string file, string? dacPath)
    {
        HeapFile path = DumpFiles.Check(file);
        RequireDac(dacPath);
        Cancellation.ThrowIfCancellationRequested();
        return path;
    }

    /// <summary>A one-line error when <c>--dac</c> names a file that does not exist.</summary>
    public static void RequireDac(string? dacPath)
    {
        if (dacPath is not null && !File.Exists(dacPath))
            throw new LeakLabException($"DAC file '{dacPath}' does not exist; pass --dac the path of libmscordaccore.so from the runtime version the dump was taken with.");
    }

    private DumpLoadOptions LoadOptions(string? dacPath) => new()
    {
        DacPath = dacPath,
        Progress = Progress,
        CancellationToken = Cancellation,
    };

    /// <summary>
    /// --width, else $COLUMNS, else the terminal's width, else 120: piped output lands in logs, pagers and editors that
    /// are rarely wider, and scripts read --json (full names, no width) rather than tables.
    /// </summary>
    private static int TerminalWidth(TextWriter output, int? requested)
    {
        const int Piped = 120;
        if (requested is int w)
            return w;
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40)
            return columns;
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
            return Piped;
        try
        {
            int width = Console.WindowWidth;
            return width >= 40 ? width : Piped;
        }
        catch (IOException)
        {
            return Piped;
        }
    }
}
