using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LeakLab.Query;

/// <summary>
/// Bulk inserts of the objects and refs tables straight through SQLite's C API (the SQLitePCLRaw layer under
/// Microsoft.Data.Sqlite): one prepared statement per table, values bound as integers or pre-encoded UTF-8.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite boxes every parameter value and re-checks its parameter collection on each ExecuteNonQuery;
/// for millions of rows that overhead was most of the load time (75k rows/s through it). Rows go in 64 per statement
/// execution, and type and field names, which repeat, are encoded to UTF-8 once.
/// </remarks>
internal static class BigTableLoader
{
    private const int ProgressEvery = 65_536;

    public static void InsertObjects(SqliteConnection conn, int snapshotId, HeapGraph g, DominatorTree? dom, ref long rows, CancellationToken ct)
    {
        var typeNames = new byte[g.TypeCount][];
        for (int t = 0; t < typeNames.Length; t++)
            typeNames[t] = Encoding.UTF8.GetBytes(g.TypeName((TypeId)t));
        var generations = new byte[256][];
        for (int i = 0; i < generations.Length; i++)
            generations[i] = Encoding.UTF8.GetBytes(GenerationName((Generation)i));

        using var insert = new BatchInsert(conn, "objects", 7);
        for (int n = 0; n < g.NodeCount; n++)
        {
            insert.Int(0, snapshotId);
            insert.Int(1, n);
            insert.Int(2, unchecked((long)g.Address((NodeId)n)));
            insert.Text(3, typeNames[g.TypeOf((NodeId)n)]);
            insert.Int(4, g.Size((NodeId)n));
            insert.Text(5, generations[(byte)g.GenerationOf((NodeId)n)]);
            if (dom is null)
                insert.Null(6);
            else
                insert.Int(6, dom.RetainedSize((NodeId)n));
            insert.EndRow();
            if ((n + 1) % ProgressEvery == 0)
            {
                Interlocked.Add(ref rows, ProgressEvery);
                ct.ThrowIfCancellationRequested();
            }
        }
        insert.Flush();
        Interlocked.Add(ref rows, g.NodeCount % ProgressEvery);
    }

    public static void InsertRefs(SqliteConnection conn, int snapshotId, HeapGraph g, ref long rows, CancellationToken ct)
    {
        var fieldNames = new Dictionary<int, byte[]>();
        using var insert = new BatchInsert(conn, "refs", 4);
        long done = 0;
        for (int n = 0; n < g.NodeCount; n++)
        {
            ReadOnlySpan<NodeId> children = g.Children((NodeId)n);
            if (children.Length == 0)
                continue;
            ReadOnlySpan<FieldId> fields = g.ChildFields((NodeId)n);
            for (int k = 0; k < children.Length; k++)
            {
                insert.Int(0, snapshotId);
                insert.Int(1, n);
                insert.Int(2, children[k]);
                int field = fields[k];
                if (field == FieldIds.Unknown)
                {
                    insert.Null(3);
                }
                else
                {
                    if (!fieldNames.TryGetValue(field, out byte[]? name))
                        fieldNames[field] = name = Encoding.UTF8.GetBytes(g.FieldName((FieldId)field));
                    insert.Text(3, name);
                }
                insert.EndRow();
                if (++done % ProgressEvery == 0)
                {
                    Interlocked.Add(ref rows, ProgressEvery);
                    ct.ThrowIfCancellationRequested();
                }
            }
        }
        insert.Flush();
        Interlocked.Add(ref rows, done % ProgressEvery);
    }

    internal static string GenerationName(Generation g) => g switch
    {
        Generation.Gen0 => "gen0",
        Generation.Gen1 => "gen1",
        Generation.Gen2 => "gen2",
        Generation.Large => "loh",
        Generation.Pinned => "poh",
        Generation.Frozen => "frozen",
        _ => "unknown",
    };

    /// <summary>
    /// Inserts rows <see cref="BatchRows"/> at a time through one multi-row INSERT (fewer statement executions per row),
    /// and the last partial batch row by row.
    /// </summary>
    private sealed class BatchInsert : IDisposable
    {
        public const int BatchRows = 64;
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _batch;
        private readonly sqlite3_stmt _single;
        private readonly int _columns;
        private readonly long[] _ints;
        private readonly byte[]?[] _texts;
        private readonly bool[] _nulls;
        private int _row;

        public BatchInsert(SqliteConnection conn, string table, int columns)
        {
            _db = conn.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            _columns = columns;
            _ints = new long[columns * BatchRows];
            _texts = new byte[]?[columns * BatchRows];
            _nulls = new bool[columns * BatchRows];
            string row = "(" + string.Join(",", Enumerable.Repeat("?", columns)) + ")";
            Check(raw.sqlite3_prepare_v2(_db, $"INSERT INTO {table} VALUES {string.Join(",", Enumerable.Repeat(row, BatchRows))}", out _batch));
            Check(raw.sqlite3_prepare_v2(_db, $"INSERT INTO {table} VALUES {row}", out _single));
        }

        public void Int(int column, long value)
        {
            int i = _row * _columns + column;
            _ints[i] = value;
            _texts[i] = null;
            _nulls[i] = false;
        }

        public void Text(int column, byte[] utf8)
        {
            int i = _row * _columns + column;
            _texts[i] = utf8;
            _nulls[i] = false;
        }

        public void Null(int column) => _nulls[_row * _columns + column] = true;

        public void EndRow()
        {
            if (++_row < BatchRows)
                return;
            Bind(_batch, 0, BatchRows);
            Step(_batch);
            _row = 0;
        }

        public void Flush()
        {
            for (int r = 0; r < _row; r++)
            {
                Bind(_single, r, 1);
                Step(_single);
            }
            _row = 0;
        }

        public void Dispose()
        {
            _batch.Dispose();
            _single.Dispose();
        }

        private void Bind(sqlite3_stmt stmt, int firstRow, int rows)
        {
            int first = firstRow * _columns;
            for (int k = 0; k < rows * _columns; k++)
            {
                int i = first + k;
                int rc = _nulls[i] ? raw.sqlite3_bind_null(stmt, k + 1)
                    : _texts[i] is { } text ? raw.sqlite3_bind_text(stmt, k + 1, text)
                    : raw.sqlite3_bind_int64(stmt, k + 1, _ints[i]);
                Check(rc);
            }
        }

        private void Step(sqlite3_stmt stmt)
        {
            int rc = raw.sqlite3_step(stmt);
            raw.sqlite3_reset(stmt);
            if (rc != raw.SQLITE_DONE)
                Check(rc);
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
                throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc);
        }
    }
}
