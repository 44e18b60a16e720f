namespace LeakLab;

public static partial class JsonReport
{
    /// <summary><c>[{"kind","name","type","address"}]</c>: each root and the object it holds.</summary>
    public static string Roots(HeapGraph graph, IEnumerable<HeapRoot> roots, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(roots);
        return Write(indented, w =>
        {
            w.WriteStartArray();
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
        });
    }
}
