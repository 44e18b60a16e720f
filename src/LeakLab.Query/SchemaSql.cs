namespace LeakLab.Query;

/// <summary>
/// The database schema in DuckDB's SQL, kept as SQL so the same text creates the tables and documents them
/// (<see cref="LeakDatabase.Schema"/>).
/// </summary>
internal static class SchemaSql
{
    // In memory, filled eagerly by LeakDatabase.Create.
    public const string SmallTables = """
-- One row per snapshot, in the order given (oldest first).
CREATE TABLE snapshots (
  id          BIGINT PRIMARY KEY,  -- 1, 2, ... (snapshot_id elsewhere)
  label       TEXT NOT NULL,       -- file name of the dump, or the source kind
  path        TEXT,                -- absolute path of the dump, NULL for live snapshots
  pid         BIGINT,             -- process id, when known
  captured_at TEXT,                -- ISO 8601 UTC, when known
  objects     BIGINT NOT NULL,    -- number of objects
  bytes       BIGINT NOT NULL     -- sum of shallow sizes
);
-- Per-type statistics of each snapshot.
CREATE TABLE types (
  snapshot_id BIGINT NOT NULL,
  type        TEXT NOT NULL,       -- normalised type name
  count       BIGINT NOT NULL,    -- instances
  bytes       BIGINT NOT NULL,    -- shallow bytes of all instances
  retained    BIGINT               -- bytes freed if every instance went away; NULL without dominators
);
-- The GC roots of each snapshot and what each keeps alive.
CREATE TABLE roots (
  snapshot_id    BIGINT NOT NULL,
  kind           TEXT NOT NULL,    -- StaticField, ThreadStaticField, StrongHandle, PinnedHandle, OtherHandle, ThreadStack, FinalizerQueue, Timer, Event, Other
  name           TEXT NOT NULL,    -- Namespace.Type.Field, thread and method, or handle
  type           TEXT NOT NULL,    -- type of the rooted object
  address        BIGINT NOT NULL, -- address of the rooted object
  retained_bytes BIGINT,          -- bytes only this root keeps alive; NULL without dominators
  retained_count BIGINT,          -- objects only this root keeps alive; NULL without dominators
  node           BIGINT NOT NULL  -- the rooted object's node (joins objects.node)
);
-- Reserved for live tracing: runtime counters sampled over time (created empty).
CREATE TABLE counters (
  pid       BIGINT NOT NULL,
  time      TEXT NOT NULL,         -- ISO 8601 UTC
  provider  TEXT NOT NULL,         -- e.g. System.Runtime
  name      TEXT NOT NULL,         -- e.g. gc-heap-size
  value     DOUBLE NOT NULL,
  unit      TEXT
);
-- Reserved for live tracing: one row per garbage collection (created empty).
CREATE TABLE gc_events (
  pid          BIGINT NOT NULL,
  time         TEXT NOT NULL,      -- ISO 8601 UTC of the GC start
  number       BIGINT NOT NULL,   -- GC count
  generation   BIGINT NOT NULL,   -- condemned generation
  reason       TEXT,
  type         TEXT,               -- blocking, background, ...
  pause_ms     DOUBLE,
  heap_before  BIGINT,
  heap_after   BIGINT
);
-- Reserved for inspections: leak findings (created empty).
CREATE TABLE findings (
  snapshot_id BIGINT,
  inspection  TEXT NOT NULL,       -- inspection id
  severity    TEXT NOT NULL,       -- info, warning, error
  title       TEXT NOT NULL,
  detail      TEXT,
  type        TEXT,
  address     BIGINT
);

""";

    // The rows of objects and refs as integers, which DuckDB's appender takes straight into its column vectors (a
    // string per row would cost a native copy each); names are joined in by the views below. Filled in the background
    // inside one transaction, so nothing of them is visible before the load completes.
    public const string BigTableRows = """
CREATE SCHEMA heap;
CREATE TABLE heap.type_names (snapshot_id BIGINT NOT NULL, type_id INTEGER NOT NULL, type VARCHAR NOT NULL);
CREATE TABLE heap.field_names (snapshot_id BIGINT NOT NULL, field_id INTEGER NOT NULL, field VARCHAR NOT NULL);
CREATE TABLE heap.generation_names (generation UTINYINT NOT NULL, name VARCHAR NOT NULL);
CREATE TABLE heap.object_rows (snapshot_id BIGINT NOT NULL, node BIGINT NOT NULL, address BIGINT NOT NULL,
  type_id INTEGER NOT NULL, size BIGINT NOT NULL, generation UTINYINT NOT NULL, retained BIGINT);
CREATE TABLE heap.ref_rows (snapshot_id BIGINT NOT NULL, from_node BIGINT NOT NULL, to_node BIGINT NOT NULL,
  field_id INTEGER);

""";

    // Created at the end of the background load: a query that names them before then waits for the load.
    public const string BigTables = """
-- One row per object (loaded in the background; queries that mention it wait for the load).
CREATE VIEW objects AS SELECT
  o.snapshot_id,                   -- BIGINT
  o.node,                          -- BIGINT: dense object index 0..objects-1 within the snapshot
  o.address,                       -- BIGINT: object address (printf('0x%x', address) for hex)
  t.type,                          -- VARCHAR: normalised type name
  o.size,                          -- BIGINT: shallow bytes
  g.name AS generation,            -- VARCHAR: gen0, gen1, gen2, loh, poh, frozen, unknown
  o.retained                       -- BIGINT: bytes freed if this object went away; NULL without dominators
FROM heap.object_rows o
JOIN heap.type_names t ON t.snapshot_id = o.snapshot_id AND t.type_id = o.type_id
JOIN heap.generation_names g ON g.generation = o.generation;
-- One row per reference between objects (loaded in the background with objects).
CREATE VIEW refs AS SELECT
  r.snapshot_id,                   -- BIGINT
  r.from_node,                     -- BIGINT: objects.node of the referencing object
  r.to_node,                       -- BIGINT: objects.node of the referenced object
  f.field                          -- VARCHAR: field name, [] for array elements, NULL when unknown (EventPipe)
FROM heap.ref_rows r
LEFT JOIN heap.field_names f ON f.snapshot_id = r.snapshot_id AND f.field_id = r.field_id;

""";
}
