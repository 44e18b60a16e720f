using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LeakLab.Presentation.Json;

/// <summary>
/// LeakLab's results as JSON for scripts: camelCase names, root kinds as strings, addresses as "0x..." strings
/// (a 64-bit address does not survive a JavaScript number), one array element per snapshot in comparisons.
/// Each file of this partial class holds one result shape.
/// </summary>
/// <remarks>
/// Written with <see cref="Utf8JsonWriter"/> rather than reflection so the shape is exactly what the docs promise
/// and does not change when a record gains a property.
/// </remarks>
public static partial class JsonReport
{
    private static string Write(bool indented, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = indented,
            // Type names are full of '<' and '>'; escaping them as \u003C makes the output unreadable. The text
            // still escapes quotes and control characters, and nothing here is embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
            body(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string Hex(ulong address) => "0x" + address.ToString("x", CultureInfo.InvariantCulture);

    private static void WriteRoot(Utf8JsonWriter w, RootKind kind, string name)
    {
        w.WriteStartObject("root");
        w.WriteString("kind", kind.ToString());
        w.WriteString("name", name);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>"load": {"source","clean","objects","bytes","segmentsCutShort","rootsUnresolved","rootSourcesUnread","eventsLost",
    /// "referencesDropped","damage"}</c>: what the load read and could not read (see <see cref="LoadReport"/>).
    /// "rootsUnresolved" is null when no roots were read (stats of a dump); "damage" is null when the source does not walk
    /// heap memory (snapshots), else <c>{"badObjects","bytesSkipped","unreadShare","segmentsCutShort","danglingReferences"}</c>.
    /// </summary>
    private static void WriteLoad(Utf8JsonWriter w, LoadReport load)
    {
        w.WriteStartObject("load");
        w.WriteString("source", load.Source);
        w.WriteBoolean("clean", load.IsClean);
        w.WriteNumber("objects", load.Objects);
        w.WriteNumber("bytes", load.Bytes);
        w.WriteNumber("segmentsCutShort", load.SegmentsCutShort);
        if (load.RootsUnresolved is int unresolved)
            w.WriteNumber("rootsUnresolved", unresolved);
        else
            w.WriteNull("rootsUnresolved");
        w.WriteNumber("rootSourcesUnread", load.RootSourcesUnread);
        w.WriteNumber("eventsLost", load.EventsLost);
        w.WriteNumber("referencesDropped", load.ReferencesDropped);
        if (load.Damage is not { } damage)
        {
            w.WriteNull("damage");
        }
        else
        {
            w.WriteStartObject("damage");
            w.WriteNumber("badObjects", damage.BadObjects);
            w.WriteNumber("bytesSkipped", damage.BytesSkipped);
            w.WriteNumber("unreadShare", Math.Round(damage.UnreadShare, 6));
            w.WriteNumber("segmentsCutShort", damage.SegmentsCutShort);
            w.WriteNumber("danglingReferences", damage.DanglingReferences);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteSteps(Utf8JsonWriter w, IReadOnlyList<PathStep> steps)
    {
        w.WriteStartArray("steps");
        foreach (PathStep step in steps)
        {
            w.WriteStartObject();
            w.WriteString("type", step.Type);
            if (step.Field is null)
                w.WriteNull("field");
            else
                w.WriteString("field", step.Field);
            if (step.Repeat > 1)
                w.WriteNumber("repeat", step.Repeat);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, long[] values)
    {
        w.WriteStartArray(name);
        foreach (long v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteScore(Utf8JsonWriter w, double score)
    {
        // Utf8JsonWriter rejects NaN and infinities; a score that is not a number is reported as null.
        if (double.IsFinite(score))
            w.WriteNumber("score", Math.Round(score, 4));
        else
            w.WriteNull("score");
    }
}
