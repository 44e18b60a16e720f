namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>{"load":{..},"types":[{"type","count","bytes","retained"?}]}</c>; "retained" is present once dominators are
    /// computed; "load" is what reading the heap could not read (see <c>WriteLoad</c>).
    /// </summary>
    public static string Stats(IEnumerable<TypeStat> stats, LoadReport load, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(load);
        return Write(indented, w =>
        {
            w.WriteStartObject();
            WriteLoad(w, load);
            w.WriteStartArray("types");
            foreach (TypeStat s in stats)
            {
                w.WriteStartObject();
                w.WriteString("type", s.Type);
                w.WriteNumber("count", s.Count);
                w.WriteNumber("bytes", s.Bytes);
                if (s.Retained is { } retained)
                    w.WriteNumber("retained", retained);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
