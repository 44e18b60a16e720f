namespace LeakLab.Query;

/// <summary>The database schema, kept as SQL so the same text creates the tables and documents them (<see cref="LeakDatabase.Schema"/>).</summary>
internal static class SchemaSql
{
    // In memory, filled eagerly by LeakDatabase.Create.
    public const string SmallTables = """
-- One row per snapshot, in the order given (oldest first).
CREATE TABLE snapshots (
  id          INTEGER PRIMARY KEY, -- 1, 2, ... (snapshot_id elsewhere)
  label       TEXT NOT NULL,       -- file name of the dump, or the source kind
  path        TEXT,                -- absolute path of the dump, NULL for live snapshots
  pid         INTEGER,             -- process id, when known
  captured_at TEXT,                -- ISO 8601 UTC, when known
  objects     INTEGER NOT NULL,    -- number of objects
  bytes       INTEGER NOT NULL     -- sum of shallow sizes
);
-- Per-type statistics of each snapshot.
CREATE TABLE types (
  snapshot_id INTEGER NOT NULL,
  type        TEXT NOT NULL,       -- normalised type name
  count       INTEGER NOT NULL,    -- instances
  bytes       INTEGER NOT NULL,    -- shallow bytes of all instances
  retained    INTEGER              -- bytes freed if every instance went away; NULL without dominators
);
-- The GC roots of each snapshot and what each keeps alive.
CREATE TABLE roots (
  snapshot_id    INTEGER NOT NULL,
  kind           TEXT NOT NULL,    -- StaticField, ThreadStaticField, StrongHandle, PinnedHandle, OtherHandle, ThreadStack, FinalizerQueue, Timer, Event, Other
  name           TEXT NOT NULL,    -- Namespace.Type.Field, thread and method, or handle
  type           TEXT NOT NULL,    -- type of the rooted object
  address        INTEGER NOT NULL, -- address of the rooted object
  retained_bytes INTEGER,          -- bytes only this root keeps alive; NULL without dominators
  retained_count INTEGER,          -- objects only this root keeps alive; NULL without dominators
  node           INTEGER NOT NULL  -- the rooted object's node (joins objects.node)
);
-- Reserved for live tracing: runtime counters sampled over time (created empty).
CREATE TABLE counters (
  pid       INTEGER NOT NULL,
  time      TEXT NOT NULL,         -- ISO 8601 UTC
  provider  TEXT NOT NULL,         -- e.g. System.Runtime
  name      TEXT NOT NULL,         -- e.g. gc-heap-size
  value     REAL NOT NULL,
  unit      TEXT
);
-- Reserved for live tracing: one row per garbage collection (created empty).
CREATE TABLE gc_events (
  pid          INTEGER NOT NULL,
  time         TEXT NOT NULL,      -- ISO 8601 UTC of the GC start
  number       INTEGER NOT NULL,   -- GC count
  generation   INTEGER NOT NULL,   -- condemned generation
  reason       TEXT,
  type         TEXT,               -- blocking, background, ...
  pause_ms     REAL,
  heap_before  INTEGER,
  heap_after   INTEGER
);
-- Reserved for inspections: leak findings (created empty).
CREATE TABLE findings (
  snapshot_id INTEGER,
  inspection  TEXT NOT NULL,       -- inspection id
  severity    TEXT NOT NULL,       -- info, warning, error
  title       TEXT NOT NULL,
  detail      TEXT,
  type        TEXT,
  address     INTEGER
);

""";

    // In a temporary file, filled in the background (no indexes: built after the load would double it, and SQLite
    // builds an automatic index for a join when one pays off).
    public const string BigTables = """
-- One row per object (loaded in the background; queries that mention it wait for the load).
CREATE TABLE objects (
  snapshot_id INTEGER NOT NULL,
  node        INTEGER NOT NULL,    -- dense object index 0..objects-1 within the snapshot
  address     INTEGER NOT NULL,    -- object address (printf('0x%x', address) for hex)
  type        TEXT NOT NULL,
  size        INTEGER NOT NULL,    -- shallow bytes
  generation  TEXT NOT NULL,       -- gen0, gen1, gen2, loh, poh, frozen, unknown
  retained    INTEGER              -- bytes freed if this object went away; NULL without dominators
);
-- One row per reference between objects (loaded in the background with objects).
CREATE TABLE refs (
  snapshot_id INTEGER NOT NULL,
  from_node   INTEGER NOT NULL,    -- objects.node of the referencing object
  to_node     INTEGER NOT NULL,    -- objects.node of the referenced object
  field       TEXT                 -- field name, [] for array elements, NULL when unknown (EventPipe)
);

""";
}
