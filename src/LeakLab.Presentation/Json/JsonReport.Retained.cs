namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>{"objects":[{"address","type","size","retained","retainedCount"}], "types":[{"type","count","bytes","retained"}],
    /// "roots":[{"kind","name","type","address","retained","retainedCount"}], "unreachable":{"count","bytes"}, "heap":{"objects","bytes"}, "load":{..}}</c>;
    /// "heap" is the whole graph, "load" what reading the heap read and could not read.
    /// </summary>
    public static string Retained(RetainedSummary summary, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Write(indented, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("objects");
            foreach (RetainedObject o in summary.Objects)
            {
                w.WriteStartObject();
                w.WriteString("address", Hex(o.Address));
                w.WriteString("type", o.Type);
                w.WriteNumber("size", o.Size);
                w.WriteNumber("retained", o.Retained);
                w.WriteNumber("retainedCount", o.RetainedCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("types");
            foreach (TypeStat t in summary.Types)
            {
                w.WriteStartObject();
                w.WriteString("type", t.Type);
                w.WriteNumber("count", t.Count);
                w.WriteNumber("bytes", t.Bytes);
                w.WriteNumber("retained", t.Retained ?? 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("roots");
            foreach (RetainedRoot r in summary.Roots)
            {
                w.WriteStartObject();
                w.WriteString("kind", r.Kind.ToString());
                w.WriteString("name", r.Name);
                w.WriteString("type", r.Type);
                w.WriteString("address", Hex(r.Address));
                w.WriteNumber("retained", r.Retained);
                w.WriteNumber("retainedCount", r.RetainedCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("unreachable");
            w.WriteNumber("count", summary.UnreachableCount);
            w.WriteNumber("bytes", summary.UnreachableBytes);
            w.WriteEndObject();

            w.WriteStartObject("heap");
            w.WriteNumber("objects", summary.TotalObjects);
            w.WriteNumber("bytes", summary.TotalBytes);
            w.WriteEndObject();
            WriteLoad(w, summary.Load);
            w.WriteEndObject();
        });
    }
}
