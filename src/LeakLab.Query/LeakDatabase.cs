using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace LeakLab.Query;

/// <summary>
/// SQL over one or more heap snapshots, in an embedded SQLite database.
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
/// <para>The small tables live in memory and are filled by <see cref="Create"/>. objects and refs go into a temporary
/// file in the background (one transaction, prepared inserts, journal off), so the first query on the small tables runs at
/// once; a query that mentions objects or refs waits for that load (<see cref="ObjectsLoadTime"/>). The file is deleted
/// on <see cref="Dispose"/>.</para>
/// </remarks>
public sealed partial class LeakDatabase : IDisposable, IAsyncDisposable
{
    /// <summary>The tables users query, for error messages and help.</summary>
    public const string TableList = "snapshots, types, roots, objects, refs";

    /// <summary>The CREATE TABLE statements of every table, with a comment per column (printable as documentation).</summary>
    public static string Schema => SchemaSql.SmallTables + SchemaSql.BigTables;

    private readonly SqliteConnection _main;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _load;
    private readonly string _heapFile;
    private readonly Stopwatch _loadClock = Stopwatch.StartNew();
    private TimeSpan? _loadTime;
    private long _objectRows;
    private long _refRows;
    private bool _attached;
    private int _disposed;

    private LeakDatabase(IReadOnlyList<HeapAnalysis> snapshots, SqliteConnection main, IReadOnlyList<DominatorTree?> dominators, string heapFile)
    {
        Snapshots = snapshots;
        _main = main;
        _heapFile = heapFile;
        _load = Task.Run(() => LoadObjects(snapshots, dominators, heapFile, _cancel.Token));
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

        var main = new SqliteConnection("Data Source=:memory:;Pooling=False");
        string heapFile = Path.Combine(Path.GetTempPath(), $"leaklab-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        try
        {
            PrivateFile.Create(heapFile).Dispose(); // created owner-only before SQLite opens it: it holds the heap's data
            main.Open();
            Execute(main, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
            Execute(main, SchemaSql.SmallTables);
            var dominators = snapshots.Select(a => TryDominators(a, computeRetained)).ToList();
            using (var tx = main.BeginTransaction())
            {
                for (int i = 0; i < snapshots.Count; i++)
                    InsertSmallTables(main, tx, i + 1, snapshots[i], dominators[i]);
                tx.Commit();
            }
            return new LeakDatabase(snapshots, main, dominators, heapFile);
        }
        catch
        {
            main.Dispose();
            TryDelete(heapFile);
            throw;
        }
    }

    /// <inheritdoc cref="Create(IReadOnlyList{HeapAnalysis}, bool)"/>
    public static LeakDatabase Create(HeapAnalysis snapshot, bool computeRetained = true) => Create([snapshot], computeRetained);

    public IReadOnlyList<HeapAnalysis> Snapshots { get; }

    /// <summary>The temp file that holds the objects and refs tables (deleted on dispose); it can be large.</summary>
    public string ObjectsFilePath => _heapFile;

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
        catch (SqliteException e) when (!_attached && NoSuchBigTable(e))
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
            TryDelete(_heapFile);
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
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
                return new QueryResult(sql, columns, rows, clock.Elapsed, waited);
            }
            catch (SqliteException e) when (_attached || !NoSuchBigTable(e))
            {
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"SQL error: {SqliteMessage(e)}. Tables: {TableList}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TimeSpan> WaitForBigTablesAsync(CancellationToken cancellationToken)
    {
        if (_attached)
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
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_attached)
            {
                using var cmd = _main.CreateCommand();
                cmd.CommandText = "ATTACH DATABASE $file AS heap";
                cmd.Parameters.AddWithValue("$file", _heapFile);
                cmd.ExecuteNonQuery();
                _attached = true;
            }
        }
        finally
        {
            _gate.Release();
        }
        return clock.Elapsed;
    }

    private void LoadObjects(IReadOnlyList<HeapAnalysis> snapshots, IReadOnlyList<DominatorTree?> dominators, string file, CancellationToken ct)
    {
        try
        {
            using var conn = new SqliteConnection($"Data Source={file};Pooling=False");
            conn.Open();
            // A scratch copy of data we hold in memory: no journal, no fsync; a crash just loses a temp file.
            Execute(conn, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-65536;");
            Execute(conn, SchemaSql.BigTables);
            using var tx = conn.BeginTransaction();
            for (int s = 0; s < snapshots.Count; s++)
            {
                ct.ThrowIfCancellationRequested();
                BigTableLoader.InsertObjects(conn, s + 1, snapshots[s].Graph, dominators[s], ref _objectRows, ct);
                BigTableLoader.InsertRefs(conn, s + 1, snapshots[s].Graph, ref _refRows, ct);
            }
            tx.Commit();
        }
        finally
        {
            _loadTime = _loadClock.Elapsed;
        }
    }

    private static void InsertSmallTables(SqliteConnection conn, SqliteTransaction tx, int id, HeapAnalysis analysis, DominatorTree? dom)
    {
        HeapGraph g = analysis.Graph;
        long totalBytes = 0;
        for (int n = 0; n < g.NodeCount; n++)
            totalBytes += g.Size((NodeId)n);
        SnapshotInfo info = g.Info;
        Insert(conn, tx, "INSERT INTO snapshots VALUES ($1,$2,$3,$4,$5,$6,$7)",
            id, info.Label, info.Path, info.ProcessId,
            info.CapturedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            (long)g.NodeCount, totalBytes);

        using (var cmd = Prepare(conn, tx, "INSERT INTO types VALUES ($1,$2,$3,$4,$5)", 5))
        {
            foreach (TypeStat t in TypeRows(analysis, dom))
                Run(cmd, id, t.Type, t.Count, t.Bytes, t.Retained);
        }
        using (var cmd = Prepare(conn, tx, "INSERT INTO roots VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", 8))
        {
            for (int r = 0; r < g.Roots.Count; r++)
            {
                HeapRoot root = g.Roots[r];
                (long Bytes, long Count)? retained = dom is null ? null : dom.RetainedByRoot((RootId)r);
                Run(cmd, id, root.Kind.ToString(), root.Name, g.NodeTypeName(root.Node), unchecked((long)g.Address(root.Node)),
                    retained?.Bytes, retained?.Count, (long)root.Node);
            }
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

    internal static SqliteCommand Prepare(SqliteConnection conn, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (int i = 1; i <= parameters; i++)
            cmd.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++)
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
    }

    private static void Insert(SqliteConnection conn, SqliteTransaction tx, string sql, params object?[] values)
    {
        using var cmd = Prepare(conn, tx, sql, values.Length);
        Run(cmd, values);
    }

    private static void Execute(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static bool MentionsBigTables(string sql) => BigTableRegex().IsMatch(sql);

    private static bool NoSuchBigTable(SqliteException e) =>
        e.Message.Contains("no such table: objects", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("no such table: refs", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("no such table: heap.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQLite text of an error without the provider's "SQLite Error 1: '…'." wrapper, on one line.</summary>
    private static string SqliteMessage(SqliteException e)
    {
        string m = e.Message;
        var match = SqliteMessageRegex().Match(m);
        if (match.Success)
            m = match.Groups[1].Value;
        return m.ReplaceLineEndings(" ").TrimEnd('.');
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"\b(objects|refs)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BigTableRegex();

    [GeneratedRegex(@"^SQLite Error \d+: '(.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex SqliteMessageRegex();
}
