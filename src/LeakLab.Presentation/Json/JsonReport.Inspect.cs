using System.Text.Json;

namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>[{"scenario","title","root":{"kind","name"},"evidence":[...],"score","fix","inspection","retainedBytes","counts":[...]}]</c>:
    /// the findings, most serious first; <c>counts</c> is the count the finding rests on, one per snapshot oldest first
    /// (empty when it rests on bytes).
    /// </summary>
    public static string Findings(InspectionReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(indented, w =>
        {
            w.WriteStartArray();
            foreach (Finding f in report.Findings)
            {
                w.WriteStartObject();
                w.WriteString("scenario", f.Scenario);
                w.WriteString("title", f.Title);
                w.WriteStartObject("root");
                w.WriteString("kind", f.Root.Kind);
                w.WriteString("name", f.Root.Name);
                w.WriteEndObject();
                w.WriteStartArray("evidence");
                foreach (string e in f.Evidence)
                    w.WriteStringValue(e);
                w.WriteEndArray();
                w.WriteNumber("score", f.Score);
                w.WriteString("fix", f.Fix);
                w.WriteString("inspection", f.Inspection);
                w.WriteNumber("retainedBytes", f.RetainedBytes);
                w.WriteStartArray("counts");
                foreach (long c in f.Counts)
                    w.WriteNumberValue(c);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>[{"snapshot","liveOnly","memory":{...},"process":{...}|null,"finalizerQueue":[...],"handles":[...],"timers":[...],"threads":[...],
    /// "pendingTasks":[...],"cancellationSources":[...],"safeHandles":[...],"idKeyedTables":[...]}]</c>: one element per
    /// dump, each table an array of rows; addresses are "0x..." strings, times milliseconds (-1 = never).
    /// </summary>
    public static string RuntimeTables(IEnumerable<RuntimeTables> tables, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return Write(indented, w =>
        {
            w.WriteStartArray();
            foreach (RuntimeTables t in tables)
                WriteTables(w, t);
            w.WriteEndArray();
        });
    }

    private static void WriteTables(Utf8JsonWriter w, RuntimeTables t)
    {
        w.WriteStartObject();
        w.WriteString("snapshot", t.Info.Label);
        w.WriteBoolean("liveOnly", t.LiveOnly);
        w.WriteStartObject("memory");
        w.WriteNumber("dumpedBytes", t.Memory.DumpedBytes);
        w.WriteNumber("gcCommittedBytes", t.Memory.GcCommittedBytes);
        w.WriteNumber("threadStackBytes", t.Memory.ThreadStackBytes);
        w.WriteNumber("nonGcBytes", t.Memory.NonGcBytes);
        w.WriteEndObject();
        WriteProcessMemory(w, "process", t.Process);
        Rows(w, "finalizerQueue", t.FinalizerQueue, (w, r) =>
        {
            w.WriteString("type", r.Type);
            w.WriteNumber("registered", r.Registered);
            w.WriteNumber("ready", r.Ready);
            w.WriteNumber("readyBytes", r.ReadyBytes);
        });
        Rows(w, "handles", t.Handles, (w, r) =>
        {
            w.WriteString("kind", r.Kind);
            w.WriteString("heldType", r.HeldType);
            w.WriteNumber("count", r.Count);
            w.WriteNumber("bytes", r.Bytes);
        });
        Rows(w, "timers", t.Timers, (w, r) =>
        {
            w.WriteString("callback", r.Callback);
            NullableString(w, "targetType", r.TargetType);
            NullableString(w, "stateType", r.StateType);
            w.WriteNumber("count", r.Count);
            w.WriteNumber("minDueMs", r.MinDueMs);
            w.WriteNumber("maxDueMs", r.MaxDueMs);
            w.WriteNumber("periodMs", r.PeriodMs);
            w.WriteString("example", Hex(r.ExampleAddress));
        });
        Rows(w, "threads", t.Threads, (w, r) =>
        {
            w.WriteNumber("managedId", r.ManagedId);
            w.WriteString("osId", "0x" + r.OsId.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            NullableString(w, "name", r.Name);
            w.WriteString("state", r.State);
            w.WriteBoolean("isFinalizer", r.IsFinalizer);
            NullableString(w, "waitMethod", r.WaitMethod);
            NullableString(w, "userMethod", r.UserMethod);
            Strings(w, "frames", r.Frames);
            w.WriteNumber("rootedObjects", r.RootedObjects);
            Strings(w, "rootedTypes", r.RootedTypes);
        });
        Rows(w, "pendingTasks", t.PendingTasks, (w, r) =>
        {
            w.WriteString("type", r.Type);
            w.WriteNumber("count", r.Count);
            w.WriteNumber("continuations", r.Continuations);
            w.WriteNumber("maxContinuations", r.MaxContinuations);
            w.WriteString("maxAddress", Hex(r.MaxAddress));
        });
        Rows(w, "cancellationSources", t.CancellationSources, (w, r) =>
        {
            w.WriteString("address", Hex(r.Address));
            w.WriteString("type", r.Type);
            w.WriteNumber("registrations", r.Registrations);
            w.WriteBoolean("canceled", r.Canceled);
            w.WriteBoolean("disposed", r.Disposed);
            Strings(w, "callbackTargets", r.CallbackTargets);
        });
        Rows(w, "safeHandles", t.SafeHandles, (w, r) =>
        {
            w.WriteString("type", r.Type);
            w.WriteNumber("open", r.Open);
            w.WriteNumber("closed", r.Closed);
        });
        Rows(w, "idKeyedTables", t.IdKeyedTables, (w, r) =>
        {
            w.WriteString("address", Hex(r.Address));
            w.WriteString("type", r.Type);
            w.WriteNumber("count", r.Count);
            w.WriteNumber("minKey", r.MinKey);
            w.WriteNumber("maxKey", r.MaxKey);
            w.WriteNumber("stride", r.Stride);
            w.WriteNumber("density", Math.Round(r.Density, 4));
        });
        w.WriteEndObject();
    }

    private static void Rows<T>(Utf8JsonWriter w, string name, IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray(name);
        foreach (T row in rows)
        {
            w.WriteStartObject();
            write(w, row);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }
}
