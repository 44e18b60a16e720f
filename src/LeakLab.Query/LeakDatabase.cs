using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace LeakLab.Query;

/// <summary>
/// SQL over one or more heap snapshots, in an embedded DuckDB database (DuckDB's SQL dialect, close to PostgreSQL's).
/// </summary>
/// <remarks>
/// <para>Tables (snapshot ids are 1-based, in the order given to <see cref="Create"/>):</para>
/// <list type="bullet">
/// <item><c>snapshots(id, label, path, pid, captured_at, objects, bytes)</c>: one row per snapshot; captured_at is ISO 8601 UTC text.</item>
/// <item><c>types(snapshot_id, type, count, bytes, retained)</c>: per-type instance count, shallow bytes and retained bytes.</item>
/// <item><c>roots(snapshot_id, kind, name, type, address, retained_bytes, retained_count, node)</c>: kind is a <see cref="RootKind"/> name.</item>
/// <item><c>objects(snapshot_id, node, address, type, size, generation, retained)</c>: one row per object; generation is
/// gen0, gen1, gen2, loh, poh, frozen or unknown.</item>
/// <item><c>refs(snapshot_id, from_node, to_node, field)</c>: one row per reference; field is the field name, "[]" for an array
/// element, NULL when the source has no field names (EventPipe). Named <c>refs</c> because REFERENCES is an SQL keyword.</item>
/// <item><c>counters</c>, <c>gc_events</c>, <c>findings</c>: reserved for live tracing and inspections; created empty.</item>
/// </list>
/// <para>Retained columns are NULL when dominators could not be computed. Addresses are stored as signed 64-bit integers
/// (the bit pattern of the address); <c>printf('0x%x', address)</c> shows them in hex.</para>
/// <para>The database is a temporary file in an owner-only folder, deleted on <see cref="Dispose"/> (or by the next
/// database made on this machine once this process has ended). The small tables are
/// filled by <see cref="Create"/>; objects and refs load in the background (DuckDB's appender, one transaction), so the
/// first query on the small tables runs at once; a query that mentions objects or refs waits for that load
/// (<see cref="ObjectsLoadTime"/>).</para>
/// </remarks>
public sealed partial class LeakDatabase : IDisposable, IAsyncDisposable
{
    /// <summary>The tables users query, for error messages and help.</summary>
    public const string TableList = "snapshots, types, roots, objects, refs";

    /// <summary>The CREATE statements of every table and view users query, with a comment per column (printable as documentation).</summary>
    public static string Schema => SchemaSql.SmallTables + SchemaSql.BigTables;

    // DuckDB's buffer pool defaults to 80% of the machine; the notebook holding the heap graphs needs most of that. Past
    // this limit DuckDB spills joins, sorts and aggregates to the temp folder beside the database.
    private const string MemoryLimit = "2GB";

    private readonly DuckDBConnection _main;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _load;
    private readonly string _folder;
    private readonly Stopwatch _loadClock = Stopwatch.StartNew();
    private TimeSpan? _loadTime;
    private long _objectRows;
    private long _refRows;
    private int _disposed;

    private LeakDatabase(IReadOnlyList<HeapAnalysis> snapshots, DuckDBConnection main, IReadOnlyList<DominatorTree?> dominators, string folder)
    {
        Snapshots = snapshots;
        _main = main;
        _folder = folder;
        // The loader's own connection to the same database (DuckDB.NET shares one database instance per file within a
        // process): DuckDB runs it beside queries on the main one.
        var loader = new DuckDBConnection(main.ConnectionString);
        loader.Open();
        _load = Task.Run(() => LoadObjects(loader, snapshots, dominators, _cancel.Token));
    }

    /// <summary>
    /// Builds the database: snapshots, types and roots now; objects and refs in the background.
    /// </summary>
    /// <param name="snapshots">Snapshots, oldest first.</param>
    /// <param name="computeRetained">Compute dominators (if not done yet) to fill the retained columns; when false, they are
    /// filled only for snapshots whose dominators already exist.</param>
    public static LeakDatabase Create(IReadOnlyList<HeapAnalysis> snapshots, bool computeRetained = true)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.NotReady, "No snapshots to query: load a dump or take a snapshot first.");

        string folder = DatabaseFolder.Create();
        string file = Path.Combine(folder, "leaklab.duckdb");
        var main = new DuckDBConnection($"Data Source={file}");
        try
        {
            main.Open();
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Execute(main, $"SET memory_limit = '{MemoryLimit}'; SET temp_directory = '{Path.Combine(folder, "spill").Replace("'", "''", StringComparison.Ordinal)}';");
            Execute(main, SchemaSql.SmallTables);
            var dominators = snapshots.Select(a => TryDominators(a, computeRetained)).ToList();
            for (int i = 0; i < snapshots.Count; i++)
                InsertSmallTables(main, i + 1, snapshots[i], dominators[i]);
            return new LeakDatabase(snapshots, main, dominators, folder);
        }
        catch
        {
            main.Dispose();
            DatabaseFolder.Delete(folder);
            throw;
        }
    }

    /// <inheritdoc cref="Create(IReadOnlyList{HeapAnalysis}, bool)"/>
    public static LeakDatabase Create(HeapAnalysis snapshot, bool computeRetained = true) => Create([snapshot], computeRetained);

    public IReadOnlyList<HeapAnalysis> Snapshots { get; }

    /// <summary>The temp file that holds the database (its folder is deleted on dispose); it can be large.</summary>
    public string ObjectsFilePath => Path.Combine(_folder, "leaklab.duckdb");

    /// <summary>True once objects and refs are loaded and queryable.</summary>
    public bool ObjectsLoaded => _load.IsCompletedSuccessfully;

    /// <summary>How long the background load of objects and refs took; null while it runs.</summary>
    public TimeSpan? ObjectsLoadTime => _loadTime;

    /// <summary>Rows in objects and refs (final once <see cref="ObjectsLoaded"/>).</summary>
    public (long Objects, long Refs) BigTableRows => (Interlocked.Read(ref _objectRows), Interlocked.Read(ref _refRows));

    /// <summary>Waits until objects and refs are loaded.</summary>
    public Task WaitForObjectsAsync(CancellationToken cancellationToken = default) => _load.WaitAsync(cancellationToken);

    /// <summary>Runs one SQL statement and returns all its rows. Bad SQL throws <see cref="LeakLabException"/>.</summary>
    public QueryResult Query(string sql) => QueryAsync(sql).GetAwaiter().GetResult();

    /// <inheritdoc cref="Query"/>
    public async Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (string.IsNullOrWhiteSpace(sql))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"SQL error: the query is empty. Tables: {TableList}");

        TimeSpan waited = TimeSpan.Zero;
        if (MentionsBigTables(sql))
            waited = await WaitForBigTablesAsync(cancellationToken).ConfigureAwait(false);

        try
        {
            return await RunAsync(sql, waited, cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e) when (!ObjectsLoaded && DuckErrors.NoSuchBigTable(e))
        {
            // The query reached objects/refs in a way the name check missed (a view, a quoted name): wait and retry once.
            waited = await WaitForBigTablesAsync(cancellationToken).ConfigureAwait(false);
            return await RunAsync(sql, waited, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _cancel.Cancel();
        try { _load.Wait(); } catch (AggregateException) { } // the load's failure or cancellation is no news on dispose
        _gate.Wait();
        try { _main.Dispose(); }
        finally
        {
            _gate.Release();
            DatabaseFolder.Delete(_folder);
            _cancel.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<QueryResult> RunAsync(string sql, TimeSpan waited, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var clock = Stopwatch.StartNew();
            try
            {
                using var cmd = _main.CreateCommand();
                cmd.CommandText = sql;
                using var reader = cmd.ExecuteReader();
                var columns = new string[reader.FieldCount];
                for (int i = 0; i < columns.Length; i++)
                    columns[i] = reader.GetName(i);
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var row = new object?[columns.Length];
                    for (int i = 0; i < row.Length; i++)
                        row[i] = reader.IsDBNull(i) ? null : DuckValues.Normalize(reader.GetValue(i));
                    rows.Add(row);
                }
                return new QueryResult(sql, columns, rows, clock.Elapsed, waited);
            }
            catch (DuckDBException e) when (ObjectsLoaded || !DuckErrors.NoSuchBigTable(e))
            {
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"SQL error: {DuckErrors.OneLine(e)}. Tables: {TableList}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TimeSpan> WaitForBigTablesAsync(CancellationToken cancellationToken)
    {
        if (ObjectsLoaded)
            return TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        try
        {
            await _load.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw new LeakLabException(LeakLabErrorKind.Failed, $"Loading the objects and refs tables failed ({e.GetBaseException().Message}); queries on snapshots, types and roots still work.", e);
        }
        return clock.Elapsed;
    }

    private void LoadObjects(DuckDBConnection conn, IReadOnlyList<HeapAnalysis> snapshots, IReadOnlyList<DominatorTree?> dominators, CancellationToken ct)
    {
        try
        {
            using (conn)
            {
                // One transaction: DuckDB writes a large one straight to the database file (no log), and the views
                // appear, complete, only at its commit.
                using var tx = conn.BeginTransaction();
                Execute(conn, SchemaSql.BigTableRows);
                BigTableLoader.InsertGenerationNames(conn);
                for (int s = 0; s < snapshots.Count; s++)
                {
                    ct.ThrowIfCancellationRequested();
                    BigTableLoader.InsertObjects(conn, s + 1, snapshots[s].Graph, dominators[s], ref _objectRows, ct);
                    BigTableLoader.InsertRefs(conn, s + 1, snapshots[s].Graph, ref _refRows, ct);
                }
                Execute(conn, SchemaSql.BigTables);
                tx.Commit();
            }
        }
        finally
        {
            _loadTime = _loadClock.Elapsed;
        }
    }

    private static void InsertSmallTables(DuckDBConnection conn, int id, HeapAnalysis analysis, DominatorTree? dom)
    {
        HeapGraph g = analysis.Graph;
        long totalBytes = 0;
        for (int n = 0; n < g.NodeCount; n++)
            totalBytes += g.Size((NodeId)n);
        SnapshotInfo info = g.Info;
        using (var snapshots = conn.CreateAppender("snapshots"))
        {
            snapshots.CreateRow().AppendValue((long)id).AppendValue(info.Label).AppendValue(info.Path).AppendValue((long?)info.ProcessId)
                .AppendValue(info.CapturedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .AppendValue((long)g.NodeCount).AppendValue(totalBytes).EndRow();
        }
        using (var types = conn.CreateAppender("types"))
        {
            foreach (TypeStat t in TypeRows(analysis, dom))
                types.CreateRow().AppendValue((long)id).AppendValue(t.Type).AppendValue(t.Count).AppendValue(t.Bytes).AppendValue(t.Retained).EndRow();
        }
        using var roots = conn.CreateAppender("roots");
        for (int r = 0; r < g.Roots.Count; r++)
        {
            HeapRoot root = g.Roots[r];
            (long Bytes, long Count)? retained = dom is null ? null : dom.RetainedByRoot((RootId)r);
            roots.CreateRow().AppendValue((long)id).AppendValue(root.Kind.ToString()).AppendValue(root.Name).AppendValue(g.NodeTypeName(root.Node))
                .AppendValue(unchecked((long)g.Address(root.Node))).AppendValue(retained?.Bytes).AppendValue(retained?.Count)
                .AppendValue((long)(int)root.Node).EndRow();
        }
    }

    /// <summary>Per-type rows from the analysis layer; counted here when that layer is not available.</summary>
    private static IEnumerable<TypeStat> TypeRows(HeapAnalysis analysis, DominatorTree? dom)
    {
        try
        {
            return TypeStatistics.Compute(analysis.Graph, null, dom);
        }
        catch (NotImplementedException)
        {
            HeapGraph g = analysis.Graph;
            var counts = new long[g.TypeCount];
            var bytes = new long[g.TypeCount];
            for (int n = 0; n < g.NodeCount; n++)
            {
                counts[g.TypeOf((NodeId)n)]++;
                bytes[g.TypeOf((NodeId)n)] += g.Size((NodeId)n);
            }
            return Enumerable.Range(0, g.TypeCount).Where(t => counts[t] > 0)
                .Select(t => new TypeStat(g.TypeName((TypeId)t), counts[t], bytes[t]))
                .OrderByDescending(t => t.Bytes).ToList();
        }
    }

    private static DominatorTree? TryDominators(HeapAnalysis analysis, bool compute)
    {
        if (!compute && !analysis.HasDominators)
            return null;
        try
        {
            return analysis.Dominators;
        }
        catch (NotImplementedException)
        {
            return null; // the analysis layer has no dominators yet: retained columns stay NULL
        }
    }

    private static void Execute(DuckDBConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static bool MentionsBigTables(string sql) => BigTableRegex().IsMatch(sql);

    [GeneratedRegex(@"\b(objects|refs)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BigTableRegex();
}
