using System.Diagnostics;
using System.Runtime.InteropServices;
using LeakLab.IntegrationTests.EventPipe;
using Microsoft.Diagnostics.Runtime;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>
/// A DAC call on a live process that never returns must not hang LeakLab (issue 11: a notebook's dump cell hung behind
/// a static-slot read that ClrMD never finished, since the DAC takes one process-wide lock around every call).
/// </summary>
public sealed class StuckDacTests
{
    private const string CacheField = StaticCacheSnapshotFixture.CacheField;
    private const string NoOwners = "could not read the declaring types of static fields";

    [Fact]
    public async Task A_DAC_call_stuck_in_this_process_holds_up_neither_a_snapshot_nor_a_dump()
    {
        Task<SampleProcess> startA = SampleProcess.StartAsync("static-cache", "--rate", "0");
        await using SampleProcess b = await SampleProcess.StartAsync("static-cache", "--rate", "0");
        await using SampleProcess a = await startA;
        using var stuck = StuckDacCall.Hold(a.Pid);
        // The hazard is real here: any other DAC call of this process now waits for the stuck one.
        Assert.False(StuckDacCall.OtherCallFinishes(b.Pid, TimeSpan.FromSeconds(2)), "the DAC lock should be held by the stuck call");

        var progress = new List<string>();
        var notes = new List<string>();
        var work = Task.Run(() =>
        {
            HeapGraph graph = HeapSnapshotCapture.Capture(b.Pid, new HeapSnapshotOptions { Progress = new SyncProgress(progress) });
            DumpResult dump = DumpCapture.Write(b.Pid, Path.Combine(b.Folder, "b.dmp"), note: notes.Add, timeout: TimeSpan.FromSeconds(15));
            return (graph, dump);
        });

        Assert.True(await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(25))) == work, "a snapshot then a dump must finish while another DAC call hangs");
        (HeapGraph snapshot, DumpResult written) = await work;
        // The statics were read (in the reader process): the cache is named by its declaring type.
        Assert.Contains(snapshot.Roots, r => r.Name == CacheField);
        Assert.DoesNotContain(progress, p => p.Contains(NoOwners, StringComparison.Ordinal));
        // The dump was checked, not skipped, and is there.
        Assert.True(File.Exists(written.Path));
        Assert.Empty(notes);
        Assert.Empty(ReaderChildren());
    }

    [Fact]
    public async Task A_reader_that_stops_answering_is_killed_and_the_snapshot_keeps_field_names()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "0");
        using var done = new CancellationTokenSource();
        // Freezes the reader as soon as it starts: the DAC call that never returns, as the reader sees it.
        Task<int> freezer = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                if (ReaderChildren().FirstOrDefault() is int pid and > 0)
                {
                    HeapSnapshotErrorTests.Signal("STOP", pid);
                    return pid;
                }
                await Task.Delay(10);
            }
            return 0;
        });
        var progress = new List<string>();
        var clock = Stopwatch.StartNew();
        HeapGraph graph;
        try
        {
            graph = HeapSnapshotCapture.Capture(sample.Pid, new HeapSnapshotOptions { Progress = new SyncProgress(progress) });
        }
        finally
        {
            done.Cancel();
        }
        clock.Stop();
        int frozen = await freezer;

        Assert.True(frozen > 0, "the snapshot should have started a reader process");
        // The snapshot waits 10 s for the reader, then kills it and keeps the field names: said once.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(25));
        Assert.Single(progress, p => p.Contains(NoOwners, StringComparison.Ordinal));
        Assert.Contains(graph.Roots, r => r.Kind == RootKind.StaticField && r.Name.StartsWith("Entries (static field of an unknown type", StringComparison.Ordinal));
        Assert.False(Directory.Exists($"/proc/{frozen}"), $"reader {frozen} should be killed and reaped");
        Assert.Empty(ReaderChildren());
    }

    [Fact]
    public async Task A_dump_check_that_overruns_its_time_is_stopped_and_the_dump_kept()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        DumpResult dump = DumpCapture.Write(sample.Pid, Path.Combine(sample.Folder, "kept.dmp"));
        var ticks = new List<TimeSpan>();

        // No reader opens a dump in 1 ms: the check gives up at once and kills its reader.
        Assert.Equal(DumpHeapCheck.Outcome.TimedOut, DumpHeapCheck.Check(dump.Path, TimeSpan.FromMilliseconds(1), ticks.Add));

        Assert.True(File.Exists(dump.Path));
        Assert.Empty(ReaderChildren());
        // Given its time, the same check answers.
        Assert.Equal(DumpHeapCheck.Outcome.Walkable, DumpHeapCheck.Check(dump.Path, TimeSpan.FromSeconds(60), ticks.Add));
    }

    /// <summary>LeakLab.DacReader processes this process started that still exist.</summary>
    private static List<int> ReaderChildren()
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("LeakLab.DacReader.dll", StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (IOException) { } // gone meanwhile
        }
        return found;
    }

    /// <summary>Progress told synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
                lines.Add(value);
        }
    }

    /// <summary>
    /// ClrMD attached to a live process in THIS process, with one DAC call stuck in the middle (its memory reads block
    /// until released), as the hung notebook had one. Released and closed on dispose.
    /// </summary>
    private sealed class StuckDacCall : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly ManualResetEventSlim _blocked = new();
        private readonly DataTarget _live;
        private readonly DataTarget _gated;
        private readonly ClrRuntime _runtime;
        private readonly Thread _caller;
        private volatile bool _armed;

        private StuckDacCall(int pid)
        {
            _live = DataTarget.AttachToProcess(pid, suspend: false);
            _gated = new DataTarget(new GatedReader(_live.DataReader, this), new DataTargetOptions());
            _runtime = CreateRuntime(_gated.ClrVersions[0]);
            _armed = true;
            // ClrHeap's first use asks the DAC for the GC's data: the DAC reads the target's memory under its lock.
            _caller = new Thread(() => _ = _runtime.Heap.Segments.Length) { IsBackground = true, Name = "stuck DAC call" };
            _caller.Start();
        }

        public static StuckDacCall Hold(int pid)
        {
            var stuck = new StuckDacCall(pid);
            if (!stuck._blocked.Wait(TimeSpan.FromSeconds(10)))
            {
                stuck.Dispose();
                throw new InvalidOperationException("the DAC call did not reach a memory read");
            }
            return stuck;
        }

        /// <summary>Whether a fresh DAC call on <paramref name="pid"/> in this process finishes within <paramref name="wait"/>.</summary>
        public static bool OtherCallFinishes(int pid, TimeSpan wait)
        {
            var call = new Thread(() =>
            {
                using DataTarget target = DataTarget.AttachToProcess(pid, suspend: false);
                using ClrRuntime runtime = CreateRuntime(target.ClrVersions[0]);
                _ = runtime.Heap.Segments.Length;
            })
            { IsBackground = true };
            call.Start();
            return call.Join(wait); // if not, it finishes once the stuck call is released
        }

        public void Dispose()
        {
            _armed = false;
            _release.Set();
            _caller.Join(TimeSpan.FromSeconds(10));
            _runtime.Dispose();
            _gated.Dispose();
            _live.Dispose();
        }

        private static ClrRuntime CreateRuntime(ClrInfo clr) =>
            clr.CreateRuntime(Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, "libmscordaccore.so"), ignoreMismatch: true);

        /// <summary>The live process's reader, whose reads block once armed until released.</summary>
        private sealed class GatedReader(IDataReader inner, StuckDacCall owner) : IDataReader
        {
            public string DisplayName => inner.DisplayName;
            public bool IsThreadSafe => inner.IsThreadSafe;
            public OSPlatform TargetPlatform => inner.TargetPlatform;
            public Architecture Architecture => inner.Architecture;
            public int ProcessId => inner.ProcessId;
            public int PointerSize => inner.PointerSize;
            public IEnumerable<ModuleInfo> EnumerateModules() => inner.EnumerateModules();
            public bool GetThreadContext(uint threadID, uint contextFlags, Span<byte> context) => inner.GetThreadContext(threadID, contextFlags, context);
            public void FlushCachedData() => inner.FlushCachedData();

            public int Read(ulong address, Span<byte> buffer)
            {
                if (owner._armed)
                {
                    owner._blocked.Set();
                    owner._release.Wait();
                }
                return inner.Read(address, buffer);
            }

            public bool Read<T>(ulong address, out T value) where T : unmanaged
            {
                value = default;
                return Read(address, MemoryMarshal.AsBytes(new Span<T>(ref value))) == System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            }

            public T Read<T>(ulong address) where T : unmanaged => Read(address, out T value) ? value : default;

            public bool ReadPointer(ulong address, out ulong value) => Read(address, out value);

            public ulong ReadPointer(ulong address) => Read(address, out ulong value) ? value : 0;
        }
    }
}
