namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>{"load":{..},"roots":[{"kind","name","type","address"}]}</c>: each root and the object it holds, and what loading
    /// the graph could not read (roots it could not resolve are not in the list).
    /// </summary>
    public static string Roots(HeapGraph graph, IEnumerable<HeapRoot> roots, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(roots);
        return Write(indented, w =>
        {
            w.WriteStartObject();
            WriteLoad(w, LoadReport.Of(graph));
            w.WriteStartArray("roots");
            foreach (HeapRoot r in roots)
            {
                w.WriteStartObject();
                w.WriteString("kind", r.Kind.ToString());
                w.WriteString("name", r.Name);
                w.WriteString("type", graph.NodeTypeName(r.Node));
                w.WriteString("address", Hex(graph.Address(r.Node)));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
