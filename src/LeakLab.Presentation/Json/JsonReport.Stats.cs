namespace LeakLab;

public static partial class JsonReport
{
    /// <summary><c>[{"type","count","bytes","retained"?}]</c>; "retained" is present once dominators are computed.</summary>
    public static string Stats(IEnumerable<TypeStat> stats, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return Write(indented, w =>
        {
            w.WriteStartArray();
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
        });
    }
}
