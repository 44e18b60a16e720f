namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>{"snapshots":[{"label","path","capturedAt","sourceKind","load"}],
    /// "types":[{"type","counts","bytes","retained","growing","score","reason"}],
    /// "roots":[{"kind","name","counts","retained","growing","score","reason"}],
    /// "paths":[{"root":{"kind","name"},"steps","shape","counts","bytes","retained","growing","score","reason"}],
    /// "newTypes":[..],"goneTypes":[..],"commonTypes":N}</c>: every per-snapshot array has one element per snapshot,
    /// oldest first; rows keep the comparison's order (suspects first).
    /// </summary>
    public static string Diff(SnapshotComparison comparison, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return Write(indented, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("snapshots");
            foreach (SnapshotInfo s in comparison.Snapshots)
            {
                w.WriteStartObject();
                w.WriteString("label", s.Label);
                if (s.Path is null) w.WriteNull("path"); else w.WriteString("path", s.Path);
                if (s.CapturedAt is { } at) w.WriteString("capturedAt", at); else w.WriteNull("capturedAt");
                w.WriteString("sourceKind", s.SourceKind);
                WriteLoad(w, s.Load ?? new LoadReport { Source = s.SourceKind });
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (comparison.Order is null) w.WriteNull("order"); else w.WriteString("order", comparison.Order);

            w.WriteStartArray("types");
            foreach (TypeTrend t in comparison.Types)
            {
                w.WriteStartObject();
                w.WriteString("type", t.Type);
                WriteArray(w, "counts", t.Counts);
                WriteArray(w, "bytes", t.Bytes);
                WriteArray(w, "retained", t.Retained);
                w.WriteBoolean("growing", t.Growing);
                WriteScore(w, t.Score);
                w.WriteString("reason", t.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("roots");
            foreach (RootTrend r in comparison.Roots)
            {
                w.WriteStartObject();
                w.WriteString("kind", r.Kind.ToString());
                w.WriteString("name", r.Name);
                WriteArray(w, "counts", r.Counts);
                WriteArray(w, "retained", r.Retained);
                w.WriteBoolean("growing", r.Growing);
                WriteScore(w, r.Score);
                w.WriteString("reason", r.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("paths");
            foreach (PathTrend p in comparison.Paths)
            {
                w.WriteStartObject();
                WriteRoot(w, p.RootKind, p.RootName);
                WriteSteps(w, p.Steps);
                w.WriteString("shape", p.Shape);
                WriteArray(w, "counts", p.Counts);
                WriteArray(w, "bytes", p.Bytes);
                WriteArray(w, "retained", p.Retained);
                w.WriteBoolean("growing", p.Growing);
                WriteScore(w, p.Score);
                w.WriteString("reason", p.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            WriteArray(w, "newTypes", comparison.NewTypes);
            WriteArray(w, "goneTypes", comparison.GoneTypes);
            w.WriteNumber("commonTypes", comparison.CommonTypeCount);
            w.WriteEndObject();
        });
    }
}
