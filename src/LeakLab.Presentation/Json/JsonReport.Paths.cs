namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>{"load":{..},"paths":[{"root":{"kind","name"},"steps":[{"type","field","repeat"?}],"count","exampleAddress","shape"}]}</c>.
    /// The first step is the root's object ("field": null); "repeat" appears on collapsed runs only; "further": true
    /// marks a shape by which a short-lived root also reaches objects counted under a lasting root.
    /// </summary>
    public static string Paths(IEnumerable<RetentionPath> paths, LoadReport load, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(load);
        return Write(indented, w =>
        {
            w.WriteStartObject();
            WriteLoad(w, load);
            w.WriteStartArray("paths");
            foreach (RetentionPath p in paths)
            {
                w.WriteStartObject();
                WriteRoot(w, p.RootKind, p.RootName);
                WriteSteps(w, p.Steps);
                w.WriteNumber("count", p.Count);
                w.WriteString("exampleAddress", Hex(p.ExampleAddress));
                w.WriteString("shape", p.Shape);
                if (p.IsFurther)
                    w.WriteBoolean("further", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
