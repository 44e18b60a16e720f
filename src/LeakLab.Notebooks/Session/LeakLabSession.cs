using System.Diagnostics;

namespace LeakLab.Notebooks.Session;

/// <summary>
/// A notebook's working set: named heap snapshots loaded once (each kept as a <see cref="HeapAnalysis"/>, so
/// dominators and paths are computed once), the SQL database over them, and the sample programs it started.
/// Every query returns an immutable, typed result that notebooks render as HTML and text.
/// </summary>
/// <remarks>Not thread-safe: a notebook runs one cell at a time.</remarks>
public sealed class LeakLabSession : IDisposable
{
    private readonly List<Snapshot> _snapshots = [];
    private readonly List<SampleProgram> _samples = [];
    private readonly Dictionary<Snapshot, RuntimeTables> _runtimeTables = [];
    private readonly DumpLoadOptions? _loadOptions;
    private LeakDatabase? _database;
    private string? _dumpFolder;
    private readonly System.Runtime.CompilerServices.StrongBox<bool> _keepDumps = new(false);
    private EventHandler? _onExit;
    private bool _disposed;

    public LeakLabSession(string? dacPath = null)
    {
        _loadOptions = dacPath is null ? null : new DumpLoadOptions { DacPath = dacPath };
    }

    /// <summary>Snapshots in load order (the order <c>diff</c> and charts use by default).</summary>
    public IReadOnlyList<Snapshot> Snapshots => _snapshots;

    /// <summary>Sample programs this session started and will stop.</summary>
    public IReadOnlyList<SampleProgram> Samples => _samples;

    /// <summary>
    /// Where <c>dump</c> writes its files: a temp folder deleted with the session, or when the process exits, unless
    /// <see cref="KeepDumps"/>.
    /// </summary>
    public string DumpFolder
    {
        get
        {
            if (_dumpFolder is null)
            {
                _dumpFolder = PrivateFile.CreateDirectory(
                    Path.Combine(Path.GetTempPath(), $"leaklab-session-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
                // A notebook kernel never disposes Lab.Current: without this, every `#!leaklab dump` leaves hundreds of MB in /tmp.
                // The handler holds the folder, not the session, so an undisposed session's graphs can still be collected.
                string folder = _dumpFolder;
                var keep = _keepDumps;
                _onExit = (_, _) => DeleteFolder(folder, keep.Value);
                AppDomain.CurrentDomain.ProcessExit += _onExit;
            }
            return _dumpFolder;
        }
    }

    public bool KeepDumps
    {
        get => _keepDumps.Value;
        set => _keepDumps.Value = value;
    }

    public Snapshot this[string name] => Get(name);

    /// <summary>The snapshot of that name, or the most recently loaded one when <paramref name="name"/> is null.</summary>
    public Snapshot Get(string? name = null)
    {
        ThrowIfDisposed();
        if (_snapshots.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.NotReady, "no snapshot is loaded; use `#!leaklab load PATH` or `#!leaklab dump --pid N` first");
        if (name is null)
            return _snapshots[^1];
        return _snapshots.FirstOrDefault(s => s.Name == name)
            ?? _snapshots.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new LeakLabException(LeakLabErrorKind.BadArgument, $"no snapshot named '{name}'; loaded: {string.Join(", ", _snapshots.Select(s => s.Name))}");
    }

    /// <summary>
    /// Loads a dump (read with ClrMD) or a LeakLab heap snapshot (.llhg, told apart by content as the CLI does) as a
    /// named snapshot. The name defaults to the file name without extension. What the load could not read is in the
    /// snapshot's <see cref="SnapshotInfo.Load"/>.
    /// </summary>
    /// <exception cref="LeakLabException">The file is missing, a folder, or not a readable dump or snapshot (see its <see cref="LeakLabException.Kind"/>).</exception>
    public Snapshot Load(string path, string? name = null)
    {
        ThrowIfDisposed();
        if (string.IsNullOrWhiteSpace(path))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "no file given; pass the path of a dump (`#!leaklab dump --pid N` takes one) or of a .llhg snapshot");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"'{path}' is a folder, not a dump file; pass the path of a .dmp or .llhg file");
        if (!File.Exists(full))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"dump file '{path}' does not exist; check the path (relative paths start at {Environment.CurrentDirectory})");
        name = UniqueName(name ?? Path.GetFileNameWithoutExtension(full), explicitName: name is not null);
        var clock = Stopwatch.StartNew();
        HeapGraph graph = HeapFiles.Open(full, _loadOptions).Load();
        return AddCore(graph, name, clock.Elapsed);
    }

    /// <summary>Loads on a worker thread so a notebook cell can await it.</summary>
    public Task<Snapshot> LoadAsync(string path, string? name = null) => Task.Run(() => Load(path, name));

    /// <summary>Adds a graph that is already in memory (a hand-built or EventPipe graph).</summary>
    public Snapshot Add(HeapGraph graph, string? name = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(graph);
        return AddCore(graph, UniqueName(name ?? $"s{_snapshots.Count + 1}", explicitName: name is not null), TimeSpan.Zero);
    }

    /// <summary>Writes a heap dump of a running .NET process into <see cref="DumpFolder"/> and loads it.</summary>
    /// <param name="timeout">How long the dump may take (default <see cref="DumpTimeout.For"/>); past it the dump is abandoned with a <see cref="LeakLabException"/>.</param>
    /// <remarks>A host's <see cref="LiveView"/> shows the time spent while a dump takes longer than a few seconds.</remarks>
    public async Task<Snapshot> DumpAsync(int pid, string? name = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        name = UniqueName(name ?? $"s{_snapshots.Count + 1}", explicitName: name is not null);
        string path = Path.Combine(DumpFolder, $"{name}-{pid}.dmp");
        var clock = Stopwatch.StartNew();
        ILiveView? view = LiveView;
        var graph = await Task.Run(() =>
        {
            TimeSpan limit = timeout ?? DumpTimeout.For(pid);
            DumpResult dump = DumpCapture.Write(pid, path, timeout: limit, progress: DumpProgress.Reporter(view, pid, limit),
                cancellationToken: cancellationToken);
            return new DumpSource(dump.Path, _loadOptions).Load();
        }, CancellationToken.None);
        return AddCore(graph, name, clock.Elapsed);
    }

    /// <summary>Dumps the .NET process <see cref="FindProcess"/> names, then loads it.</summary>
    public async Task<Snapshot> DumpAsync(string processName, string? name = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await DumpAsync(FindProcess(processName), name, timeout, cancellationToken);

    /// <summary>
    /// Takes an EventPipe heap snapshot of a running .NET process (no dump file; costs the target one blocking gen2 GC)
    /// and adds it to the session.
    /// </summary>
    /// <exception cref="LeakLabException">The process is gone, not .NET, or the snapshot was incomplete (the message says what is missing).</exception>
    public async Task<(Snapshot Snapshot, HeapSnapshotResult Capture)> SnapshotAsync(int pid, string? name = null)
    {
        ThrowIfDisposed();
        name = UniqueName(name ?? $"s{_snapshots.Count + 1}", explicitName: name is not null);
        var source = new EventPipeSource(pid);
        HeapGraph graph = await Task.Run(() => source.Load());
        return (AddCore(graph, name, source.LastCapture!.Elapsed), source.LastCapture);
    }

    /// <summary>
    /// Watches a running .NET process with <see cref="LiveWatch"/> (counters, GC timeline, allocation samples, K heap
    /// snapshots, leak warning) into a folder under <see cref="DumpFolder"/>, then returns what it saw.
    /// </summary>
    /// <exception cref="LeakLabException">The trace could not start (process gone, not .NET, unreachable).</exception>
    public async Task<WatchResult> WatchAsync(int pid, LiveWatchOptions options, CancellationToken cancel = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(options);
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string folder = Path.Combine(DumpFolder, $"watch-{pid}-{started:yyyyMMdd-HHmmss-fff}");
        PrivateFile.CreateDirectory(folder);
        ILiveView? view = LiveView;
        return await Task.Run(() =>
        {
            using var recorder = new LiveRecorder(folder, started);
            var notes = new WatchNotes(view, started, options.Duration);
            LiveWatchResult result = LiveWatch.Run(pid, folder, recorder, started, options, notes, cancel);
            return LastWatch = new WatchResult(result, recorder.Gcs, recorder.AllocationsByType(), t => recorder.StacksOf(t),
                WatchNotes.AllocationRate(recorder, started), notes.Lines);
        }, CancellationToken.None);
    }

    /// <summary>
    /// Set by a host that can update an output in place (the notebook kernel): <see cref="WatchAsync"/> shows its
    /// chart so far there while it runs. Read when a watch starts.
    /// </summary>
    public ILiveView? LiveView { get; set; }

    /// <summary>The result of the latest <see cref="WatchAsync"/> of this session (charts gc and survivors draw it), or null.</summary>
    public WatchResult? LastWatch { get; private set; }

    /// <summary>
    /// The process id of the one .NET process named <paramref name="processName"/>. When the name matches a sample this
    /// session started (its scenario, or LeakLab.Sample), the answer is that sample and never another process: other
    /// notebooks and hosts run samples of the same name at the same time.
    /// </summary>
    /// <exception cref="LeakLabException">
    /// Two of this session's running samples match (<see cref="LeakLabErrorKind.BadArgument"/>), the matching samples
    /// have all exited (<see cref="LeakLabErrorKind.ProcessGone"/>), or no sample of this session matches and the machine
    /// has none or several processes of that name.
    /// </exception>
    public int FindProcess(string processName)
    {
        string wanted = processName.Trim();
        string bare = wanted.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? wanted[..^4] : wanted;
        var own = _samples.Where(s => string.Equals(wanted, s.Scenario, StringComparison.OrdinalIgnoreCase)
            || bare.Equals("LeakLab.Sample", StringComparison.OrdinalIgnoreCase)).ToList();
        var running = own.Where(s => !s.HasExited).ToList();
        return (own.Count, running.Count) switch
        {
            (0, _) => DotNetProcesses.FindByName(processName).Pid,
            (_, 1) => running[0].Pid,
            (_, 0) => throw new LeakLabException(LeakLabErrorKind.ProcessGone,
                $"the sample this session started for '{wanted}' has exited ({string.Join("; ", own)}); start it again (Lab.Current.StartSampleAsync), or pick another process by pid (--pid N)"),
            _ => throw new LeakLabException(LeakLabErrorKind.BadArgument,
                $"{running.Count} samples this session started match '{wanted}' ({string.Join("; ", running)}); name one by its scenario, pick it by pid (--pid N), or stop the one you are done with"),
        };
    }

    /// <summary>Starts the LeakLab sample program; this session stops it when disposed.</summary>
    public async Task<SampleProgram> StartSampleAsync(string scenario, params string[] args)
    {
        ThrowIfDisposed();
        var sample = await SampleProgram.StartAsync(scenario, args);
        _samples.Add(sample);
        return sample;
    }

    /// <summary>Objects and bytes per type (<see cref="StatsVerb"/>); <paramref name="type"/> is a <see cref="TypePattern"/>.</summary>
    public StatsResult Stats(string? snapshot = null, int top = StatsOptions.DefaultTop, string? type = null, bool retained = false,
        CancellationToken cancellationToken = default)
    {
        Snapshot s = Get(snapshot);
        StatsAnswer answer = StatsVerb.Run(s.Analysis, new StatsOptions { Top = top, Type = type, Retained = retained }, cancellationToken);
        return new StatsResult(s.Name, answer.Shown);
    }

    /// <summary>Grouped shortest retention paths to every instance of a type (<see cref="TypePattern"/>), or to one object by address.</summary>
    public PathsResult Paths(string? snapshot = null, string? type = null, ulong? address = null, int limit = PathsOptions.DefaultLimit,
        CancellationToken cancellationToken = default)
    {
        Snapshot s = Get(snapshot);
        PathsAnswer answer = PathsVerb.Run(s.Analysis, new PathsOptions { Type = type, Address = address, Limit = limit },
            VerbHost.Notebook(s.Name), cancellationToken);
        return new PathsResult(s.Name, answer.Target, answer.Paths, answer.Types);
    }

    public RootsResult Roots(string? snapshot = null, RootKind? kind = null) =>
        Roots(snapshot, kind is { } k ? [k] : null);

    /// <summary>The roots of one snapshot whose kind is one of <paramref name="kinds"/> (all roots when null).</summary>
    public RootsResult Roots(string? snapshot, IReadOnlyCollection<RootKind>? kinds)
    {
        Snapshot s = Get(snapshot);
        RootsAnswer answer = RootsVerb.Run(s.Graph, new RootsOptions { Kinds = kinds });
        return new RootsResult(s.Name, answer.Graph, answer.Roots);
    }

    public RetainedResult Retained(string? snapshot = null, int top = StatsOptions.DefaultTop, CancellationToken cancellationToken = default)
    {
        Snapshot s = Get(snapshot);
        RetainedSummary summary = RetainedVerb.Run(s.Analysis, new RetainedOptions { Top = top }, cancellationToken);
        return new RetainedResult(s.Name, s.Analysis.Dominators, top, summary);
    }

    /// <summary>Compares snapshots in the order given (default: every loaded snapshot, in load order).</summary>
    public DiffResult Diff(params string[] snapshots) => Diff(snapshots, CancellationToken.None);

    /// <summary>Compares snapshots in the order given (default: every loaded snapshot, in load order).</summary>
    public DiffResult Diff(string[] snapshots, CancellationToken cancellationToken)
    {
        var chosen = Choose(snapshots);
        if (chosen.Count < 2)
        {
            throw new LeakLabException(LeakLabErrorKind.NotReady, snapshots.Length > 0
                ? $"diff needs at least two snapshots, but got only '{snapshots[0]}'; name two or more, or none for all loaded ones"
                : $"diff needs at least two snapshots, but {chosen.Count} {(chosen.Count == 1 ? "is" : "are")} loaded; load or dump another one first");
        }
        DiffAnswer answer = DiffVerb.Run([.. chosen.Select(s => s.Analysis)], new DiffOptions(), cancellationToken);
        return new DiffResult([.. chosen.Select(s => s.Name)], answer.Comparison);
    }

    /// <summary>
    /// Runs the inspections over snapshots in the order given (default: every loaded snapshot, in load order); dumps
    /// are read again for their runtime tables (timers, threads, finalizer queue, SafeHandles...).
    /// </summary>
    public InspectResult Inspect(params string[] snapshots)
    {
        var chosen = Choose(snapshots);
        if (chosen.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.NotReady, "inspect needs a snapshot: load or dump one first (a series of two or more shows growth)");
        var inputs = chosen.Select(s => new InspectionSnapshot(s.Analysis,
            s.Info.SourceKind == "dump" && s.Info.Load?.Source != "llhg" && s.Info.Path is { } path && File.Exists(path) ? TablesOf(s) : null)).ToList();
        return new InspectResult([.. chosen.Select(s => s.Name)], InspectVerb.Run(inputs, new InspectOptions()));
    }

    /// <summary>
    /// The runtime structures of a dump snapshot (default: the last loaded) as tables, all eight or the one named
    /// (<see cref="RuntimeTable.Names"/>); the dump is read once per snapshot and the tables kept.
    /// </summary>
    /// <exception cref="LeakLabException">The snapshot is an EventPipe .llhg or hand-built graph (no runtime tables), its dump file is gone, or the table name is unknown.</exception>
    public RuntimeResult Runtime(string? snapshot = null, string? table = null)
    {
        Snapshot s = Get(snapshot);
        if (table is not null && !RuntimeTable.Names.Contains(table))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"no runtime table named '{table}'; use one of {string.Join(", ", RuntimeTable.Names)}");
        // A .llhg saved from a dump keeps SourceKind "dump" but was read from the .llhg: its load report says so.
        bool llhg = s.Info.SourceKind == "eventpipe" || s.Info.Load?.Source == "llhg";
        if (llhg && s.Info.ProcessMemory is { } live && table is null or "process") return new RuntimeResult(s.Name, new RuntimeTables { Info = s.Info, Process = live }, "process");
        if (llhg || s.Info.SourceKind != "dump" || s.Info.Path is not { } path)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"snapshot '{s.Name}' is {(llhg ? "a .llhg heap snapshot" : $"a {s.Info.SourceKind} graph")}, not a dump: it has no runtime tables; dump the process (`#!leaklab dump --pid N`) to see them");
        if (!File.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"the dump of snapshot '{s.Name}' ({path}) is gone, so its runtime tables cannot be read; load or dump it again");
        return new RuntimeResult(s.Name, TablesOf(s), table);
    }

    /// <summary>Runs SQL over the session's tables (snapshots, types, roots, objects, refs).</summary>
    public SqlResult Sql(string sql)
    {
        ThrowIfDisposed();
        if (string.IsNullOrWhiteSpace(sql))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "sql needs a query, e.g. `#!leaklab sql SELECT type, count, bytes FROM types ORDER BY bytes DESC LIMIT 10`");
        if (_snapshots.Count == 0)
            Get();
        _database ??= LeakDatabase.Create([.. _snapshots.Select(s => s.Analysis)]);
        return SqlResult.From(sql, _database.Query(sql));
    }

    public ChartResult Chart(ChartKind kind, string? snapshot = null, int top = 10)
    {
        top = Positive(top, "top");
        switch (kind)
        {
            case ChartKind.Growth:
                if (snapshot is not null)
                    throw new LeakLabException(LeakLabErrorKind.BadArgument, "chart growth draws every loaded snapshot in load order; leave out the snapshot name");
                var diff = Diff();
                return new ChartResult(kind, "Growth of the top types across snapshots", Render.GrowthChart(diff.Comparison, top));
            case ChartKind.Retained:
                Snapshot r = Get(snapshot);
                return new ChartResult(kind, $"Retained size by dominator ({r.Name})", Render.RetainedChart(r.Analysis.Dominators, top));
            case ChartKind.Generations:
                Snapshot g = Get(snapshot);
                return new ChartResult(kind, $"Generations of the largest types ({g.Name})", Render.GenerationsChart(g.Graph, top));
            case ChartKind.Gc or ChartKind.Survivors:
                WatchResult watch = LastWatch ?? throw new LeakLabException(LeakLabErrorKind.NotReady, $"chart {kind.ToString().ToLowerInvariant()} draws the latest watch; run `#!leaklab watch --pid N` first");
                return kind == ChartKind.Gc
                    ? new ChartResult(kind, "Heap per generation after each GC, and GC pauses", watch.Chart)
                    : new ChartResult(kind, "Allocated against still alive, per type", watch.Survivors);
            case ChartKind.Ages:
                if (snapshot is not null)
                    throw new LeakLabException(LeakLabErrorKind.BadArgument, "chart ages draws every loaded snapshot (or the latest watch's); leave out the snapshot name");
                if (_snapshots.Count > 0)
                    return new ChartResult(kind, "Generations per type across snapshots",
                        LifetimeCharts.AgeMix([.. _snapshots.Select(s => s.Name)], [.. _snapshots.Select(s => s.Graph)], top));
                if (LastWatch?.Ages is { } ages)
                    return new ChartResult(kind, "Generations per type across the watch's snapshots", ages);
                throw new LeakLabException(LeakLabErrorKind.NotReady, "chart ages needs snapshots; load dumps or run `#!leaklab snapshot` or `#!leaklab watch` first");
            default:
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"unknown chart kind '{kind}'; use growth, retained, generations, gc, survivors or ages");
        }
    }

    /// <summary>Stops the sample programs it started, closes the database, and deletes its dump folder.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var sample in _samples)
            sample.Dispose();
        _samples.Clear();
        _database?.Dispose();
        _database = null;
        if (_onExit is not null)
            AppDomain.CurrentDomain.ProcessExit -= _onExit;
        if (_dumpFolder is not null)
            DeleteFolder(_dumpFolder, KeepDumps);
    }

    private static void DeleteFolder(string folder, bool keep)
    {
        if (keep)
            return;
        try { Directory.Delete(folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { /* a file still open; temp cleanup will get it */ }
        catch (UnauthorizedAccessException) { }
    }

    public override string ToString() =>
        $"LeakLabSession: {_snapshots.Count} snapshot(s){(_snapshots.Count > 0 ? ": " + string.Join(", ", _snapshots.Select(s => s.Name)) : "")}";

    // Reading a dump's runtime structures opens it again (seconds for a large dump): once per snapshot is enough.
    private RuntimeTables TablesOf(Snapshot s)
    {
        if (!_runtimeTables.TryGetValue(s, out RuntimeTables? tables))
            _runtimeTables[s] = tables = RuntimeReader.ReadFor(s.Analysis, _loadOptions);
        return tables;
    }

    private List<Snapshot> Choose(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? [.. _snapshots] : [.. names.Select(n => Get(n))];

    private Snapshot AddCore(HeapGraph graph, string name, TimeSpan loadTime)
    {
        var snapshot = new Snapshot(name, new HeapAnalysis(graph), loadTime);
        _snapshots.Add(snapshot);
        // The database mirrors the snapshot list, so a new snapshot means a new database on the next query.
        _database?.Dispose();
        _database = null;
        return snapshot;
    }

    private string UniqueName(string name, bool explicitName)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "a snapshot name cannot be empty");
        if (!_snapshots.Any(s => s.Name == name))
            return name;
        if (explicitName)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"a snapshot named '{name}' is already loaded; pick another name");
        for (int i = 2; ; i++)
        {
            string candidate = $"{name}-{i}";
            if (!_snapshots.Any(s => s.Name == candidate))
                return candidate;
        }
    }

    private static int Positive(int value, string what) =>
        value > 0 ? value : throw new LeakLabException(LeakLabErrorKind.BadArgument, $"--{what} must be a positive number, not {value}");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
