using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.DacReader;

/// <summary>
/// What the reader reads, one record a line on stdout, hexadecimal addresses. A process or dump it cannot read gives an
/// empty answer (LeakLab then goes on without these facts); the reason goes to stderr.
/// </summary>
internal static class Reads
{
    /// <summary>The last line of every complete answer.</summary>
    public const string End = "end";

    /// <summary>
    /// Every static slot of live process <paramref name="pid"/> (<see cref="StaticSlots"/>): "KIND\tSLOT\tOBJECT\tOBJECT-TYPE\tNAME",
    /// KIND a <see cref="RootKind"/> number; a slot whose object has no type is left out. Attaches without suspending,
    /// so the target runs on (the parent keeps only what agrees with its snapshot).
    /// </summary>
    public static void Statics(int pid, TextWriter output)
    {
        // A running process can change under an unsuspended read (right after a snapshot its runtime is still tearing
        // down the EventPipe session and loading types): one CI run read 35 of 373 statics, CoreLib's first ones only,
        // with no error. So read again until two reads agree on the count (at most three), and keep the fullest.
        List<string> fullest = [];
        int previous = -1;
        for (int read = 0; read < 3; read++)
        {
            List<string> lines = ReadStatics(pid);
            if (lines.Count > fullest.Count)
                fullest = lines;
            if (lines.Count == previous)
                break;
            previous = lines.Count;
        }
        foreach (string line in fullest)
            output.WriteLine(line);
    }

    private static List<string> ReadStatics(int pid)
    {
        var read = new List<string>();
        TryLive(pid, new StringWriter(), (target, runtime, lines) =>
        {
            ClrThread[] threads = [.. runtime.Threads.Where(t => t.IsAlive)];
            foreach (StaticSlot slot in StaticSlots.Read(runtime, target.DataReader, threads, CancellationToken.None, out _))
            {
                if (runtime.Heap.GetObjectType(slot.Object)?.Name is string type)
                    lines.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{(int)slot.Kind}\t{slot.Slot:x}\t{slot.Object:x}\t{TypeNameNormalizer.Normalize(type)}\t{slot.Name}"));
            }
            read.AddRange(lines);
        });
        return read;
    }

    /// <summary>The GC heap's committed ranges in live process <paramref name="pid"/>: "START\tLENGTH".</summary>
    public static void Ranges(int pid, TextWriter output)
    {
        TryLive(pid, output, (_, runtime, lines) =>
        {
            foreach (ClrSegment segment in runtime.Heap.Segments)
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{segment.CommittedMemory.Start:x}\t{segment.CommittedMemory.Length:x}"));
        });
    }

    /// <summary>
    /// Whether dump <paramref name="path"/>'s GC heap can be walked (ClrMD's <c>ClrHeap.CanWalkHeap</c>, false for a dump
    /// taken while a GC was moving objects): "true" or "false"; nothing when it cannot be checked (no DAC, not .NET).
    /// </summary>
    public static void CanWalk(string path, TextWriter output)
    {
        Try(output, lines =>
        {
            using DataTarget target = DataTarget.LoadDump(path);
            if (target.ClrVersions.FirstOrDefault() is not ClrInfo clr)
                return;
            using ClrRuntime runtime = CreateRuntime(clr);
            lines.Add(runtime.Heap.CanWalkHeap ? "true" : "false");
        });
    }

    /// <summary>
    /// The DAC beside the libcoreclr.so the process runs (or the dump names: it ran on this machine moments ago): ClrMD
    /// 4.2 reads a Linux runtime's version as 0.0 and then refuses every DAC as "mismatched", so the match is by place.
    /// </summary>
    private static ClrRuntime CreateRuntime(ClrInfo clr)
    {
        string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
        return File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
    }

    /// <summary>Attaches to live process <paramref name="pid"/> without suspending it and reads its runtime (see <see cref="Try"/>).</summary>
    private static void TryLive(int pid, TextWriter output, Action<DataTarget, ClrRuntime, List<string>> read) =>
        Try(output, lines =>
        {
            using DataTarget target = DataTarget.AttachToProcess(pid, suspend: false);
            if (target.ClrVersions.FirstOrDefault() is not ClrInfo clr)
                return;
            using ClrRuntime runtime = CreateRuntime(clr);
            read(target, runtime, lines);
        });

    /// <summary>Writes what <paramref name="read"/> collected, or nothing when it failed part way.</summary>
    private static void Try(TextWriter output, Action<List<string>> read)
    {
        var lines = new List<string>();
        try
        {
            read(lines);
            foreach (string line in lines)
                output.WriteLine(line);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No DAC, no access, the process exited: an empty answer; the parent says what is missing.
            Console.Error.WriteLine(ex.GetType().Name + ": " + ex.Message);
        }
    }
}
