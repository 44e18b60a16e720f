using System.Text.Json;

namespace LeakLab.Presentation.Json;

public static partial class JsonReport
{
    /// <summary>
    /// <c>[{"pid","name","commandLine","memory":{...}|null}]</c> for <c>leaklab ps</c>; "memory" (see
    /// <see cref="WriteProcessMemory"/>) only when <paramref name="withMemory"/>, null for a process that could not be read.
    /// </summary>
    public static string Processes(IEnumerable<(int Pid, string Name, string CommandLine, ProcessMemory? Memory)> rows, bool withMemory, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Write(indented, w =>
        {
            w.WriteStartArray();
            foreach (var (pid, name, commandLine, memory) in rows)
            {
                w.WriteStartObject();
                w.WriteNumber("pid", pid);
                w.WriteString("name", name);
                w.WriteString("commandLine", commandLine);
                if (withMemory)
                    WriteProcessMemory(w, "memory", memory);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>{"residentBytes","anonymousBytes","fileBackedBytes","swappedBytes","peakResidentBytes","gcHeapBytes","nonGcBytes","gcRangesFrom"}</c>,
    /// bytes; the GC fields null when the GC heap's ranges were unknown; the whole value null when there is no reading.
    /// </summary>
    private static void WriteProcessMemory(Utf8JsonWriter w, string name, ProcessMemory? m)
    {
        if (m is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteNumber("residentBytes", m.ResidentBytes);
        w.WriteNumber("anonymousBytes", m.AnonymousBytes);
        w.WriteNumber("fileBackedBytes", m.FileBackedBytes);
        w.WriteNumber("swappedBytes", m.SwappedBytes);
        w.WriteNumber("peakResidentBytes", m.PeakResidentBytes);
        NullableNumber(w, "gcHeapBytes", m.GcHeapBytes);
        NullableNumber(w, "nonGcBytes", m.NonGcBytes);
        NullableString(w, "gcRangesFrom", m.GcRangesFrom);
        w.WriteEndObject();
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }
}
