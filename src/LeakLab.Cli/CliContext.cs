
namespace LeakLab.Cli;

/// <summary>What every command needs for one run: the writers, cancellation, progress and the dump loader.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        TextOptions = new TextReportOptions { MaxWidth = TerminalWidth(output, null), ShortNames = true };
        // Every line either writer gets is fitted to the width, whoever wrote it (see FittingWriter).
        _rawOut = output;
        _out = new FittingWriter(output, () => TextOptions);
        Error = new FittingWriter(error, () => TextOptions);
        Cancellation = cancellation;
        // Only the real console can be a terminal; a test's StringWriter gets plain lines.
        bool errorIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        Progress = new ProgressLine(Error, errorIsTerminal);
    }

    private readonly TextWriter _rawOut;
    private readonly FittingWriter _out;
    /// <summary>Load warnings already printed: diff reads each file twice (its capture time and index, then its sums).</summary>
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public TextWriter Out => _out;
    public TextWriter Error { get; }

    /// <summary>
    /// Whether stdout lines are fitted to the width (the default); off for JSON, whose strings must stay whole, and for
    /// output that scripts read line by line (bench's summary).
    /// </summary>
    public bool FitOutput
    {
        get => _out.Enabled;
        set => _out.Enabled = value;
    }
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
        TextOptions = TextOptions with { MaxWidth = TerminalWidth(_rawOut, width), ShortNames = !fullNames };
    }

    /// <summary>
    /// Loads a dump or a LeakLab heap snapshot (.llhg, told apart by content) into a heap graph, with a progress phase on
    /// stderr. Bad files become one-line errors. A snapshot needs no DAC, so <paramref name="dacPath"/> only applies to dumps.
    /// </summary>
    public HeapGraph LoadHeap(string file, string? dacPath)
    {
        HeapFile input = CheckInputs(file, dacPath);
        IHeapSource source = input.Open(LoadOptions(dacPath));
        Progress.Phase($"loading {source.Label}");
        HeapGraph graph = input.IsSnapshot || GraphIndex.DisabledByEnvironment
            ? source.Load(Progress, Cancellation)
            : GraphIndex.Open(input.Path, () => source.Load(Progress, Cancellation), line => Error.WriteLine($"leaklab: note: {line}"));
        Progress.Done($"loaded {source.Label}: {graph.NodeCount:N0} objects, {graph.EdgeCount:N0} references, {graph.Roots.Count:N0} roots{(input.IsSnapshot ? " (snapshot: no field names)" : "")}");
        WarnIfNotClean(source.Label, LoadReport.Of(graph));
        return graph;
    }

    /// <summary>
    /// Per-type counts and bytes, with a progress phase on stderr: for a dump from one walk of the heap (no graph),
    /// for a snapshot from its graph (reading the file is the whole cost).
    /// </summary>
    public HeapStatistics ReadTypeStatistics(string file, string? dacPath)
    {
        HeapFile input = CheckInputs(file, dacPath);
        if (input.IsSnapshot)
        {
            HeapGraph graph = LoadHeap(input.Path, dacPath);
            return new HeapStatistics(TypeStatistics.Compute(graph, cancellationToken: Cancellation), LoadReport.Of(graph));
        }
        IHeapSource source = input.Open(LoadOptions(dacPath));
        Progress.Phase($"reading type statistics of {source.Label}");
        HeapStatistics stats = source.LoadStatistics(Progress, Cancellation);
        Progress.Done($"read {source.Label}: {stats.Types.Sum(s => s.Count):N0} objects in {stats.Types.Count:N0} types");
        WarnIfNotClean(source.Label, stats.Load);
        return stats;
    }

    /// <summary>Never silently wrong: a heap read only in part says so on stderr, whatever the output format.</summary>
    public void WarnIfNotClean(string name, LoadReport load)
    {
        if (load.Warning is { } warning && _warned.Add($"{name}: {warning}"))
            Error.WriteLine($"leaklab: warning: {name}: {warning}");
    }

    /// <summary>Computes dominators with a progress phase; the analysis keeps them for later queries.</summary>
    public DominatorTree Dominators(HeapAnalysis analysis)
    {
        Cancellation.ThrowIfCancellationRequested();
        if (analysis.HasDominators)
            return analysis.Dominators;
        Progress.Phase($"computing retained sizes for {analysis.Graph.Info.Label}");
        DominatorTree tree = analysis.GetDominators(Cancellation);
        Progress.Done($"retained sizes of {analysis.Graph.Info.Label}: {analysis.Graph.NodeCount:N0} objects");
        return tree;
    }

    private HeapFile CheckInputs(string file, string? dacPath)
    {
        HeapFile path = HeapFiles.Check(file);
        RequireDac(dacPath);
        Cancellation.ThrowIfCancellationRequested();
        return path;
    }

    /// <summary>A one-line error when <c>--dac</c> names a file that does not exist.</summary>
    public static void RequireDac(string? dacPath) => HeapFiles.RequireDac(dacPath);

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
