using System.Diagnostics;
using LeakLab.Sample;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.IntegrationTests.Scenarios;

/// <summary>
/// Scenarios S03–S15 of docs/scenarios.md, each run for real: the sample program leaks, one to three dumps are
/// taken, and the loaded graph must show the evidence the table asks for (root kind and name, the telling path
/// steps and field names, growth between two dumps, and for some scenarios facts from outside the heap: RSS, open
/// file descriptors, values read back from the dump).
/// </summary>
/// <remarks>
/// Two dumps 1.5 s apart at 200 items/s give hundreds of new objects, far above any noise. Counts are always of
/// objects some root reaches: a dump also holds garbage no GC has collected yet.
/// </remarks>
public sealed class ScenarioEvidenceTests
{
    private static readonly TimeSpan s_gap = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task S03_captured_closure_path_goes_through_the_display_class_field_to_the_buffer()
    {
        await using var sample = await StartAsync("captured-closure");
        var (first, last) = await TwoSnapshotsAsync(sample);

        string closure = Assert.Single(last.Graph.FindTypes("LeakLab.Sample.ReportScheduler+<>c__DisplayClass").Select(last.Graph.TypeName));
        RetentionPath path = MainPath(last, closure);
        AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.ReportScheduler.s_shutdown");
        AssertSteps(path,
            ("System.Threading.Tasks.TaskCompletionSource", null),
            ("System.Threading.Tasks.Task", "_task"),
            ("System.Threading.Tasks.ContinuationTaskFromTask", null),
            ("System.Action<System.Threading.Tasks.Task>", "m_action"),
            (closure, "_target"));

        // The captured local is a named field of the closure, and it holds the buffer.
        RetentionPath toBuffer = Assert.Single(last.Paths.PathsToType("System.Byte[]"), p => p.RootName == "LeakLab.Sample.ReportScheduler.s_shutdown");
        AssertSteps(toBuffer, (closure, "_target"), ("System.Byte[]", "renderedReport"));
        AssertGrows(first, last, closure);
    }

    [Fact]
    public async Task S04_blocked_channel_items_pile_up_in_the_channel_queue()
    {
        await using var sample = await StartAsync("blocked-channel");
        var (first, last) = await TwoSnapshotsAsync(sample);

        // The queue is a chain of segments, so the shapes differ by segment (_head, _head._nextSegment, _tail):
        // every one of them runs from the channel's static field through its queue's slots.
        IReadOnlyList<RetentionPath> paths = last.Paths.PathsToType("LeakLab.Sample.PendingJob", limit: int.MaxValue);
        foreach (RetentionPath path in paths)
        {
            AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.JobPipeline.s_jobs");
            AssertSteps(path,
                ("System.Threading.Channels.UnboundedChannel<LeakLab.Sample.PendingJob>", null),
                ("System.Collections.Concurrent.ConcurrentQueue<LeakLab.Sample.PendingJob>", "_items"),
                ("System.Collections.Concurrent.ConcurrentQueueSegment<LeakLab.Sample.PendingJob>", null),
                ("System.Collections.Concurrent.ConcurrentQueueSegment<LeakLab.Sample.PendingJob>+Slot[]", "_slots"),
                ("LeakLab.Sample.PendingJob", "[]"));
        }
        int[] jobs = AssertGrows(first, last, "LeakLab.Sample.PendingJob");
        Assert.Equal(jobs.Length, paths.Sum(p => p.Count));
    }

    [Fact]
    public async Task S05_timer_path_runs_from_the_timer_queue_to_the_callback_target_and_state()
    {
        await using var sample = await StartAsync("timer");
        var (first, last) = await TwoSnapshotsAsync(sample);

        RetentionPath path = MainPath(last, "LeakLab.Sample.ReportRefresher");
        AssertRoot(path, RootKind.StaticField, "System.Threading.TimerQueue.");
        AssertSteps(path,
            ("System.Threading.TimerQueue", null),
            ("System.Threading.TimerQueueTimer", null),
            ("System.Threading.TimerCallback", "_timerCallback"),
            ("LeakLab.Sample.ReportRefresher", "_target"));
        // The queue is a linked list: the path to a typical timer runs along _next, shown as one collapsed step.
        Assert.Contains(path.Steps, s => s.Type == "System.Threading.TimerQueueTimer" && s.Field == "_next");

        RetentionPath state = MainPath(last, "LeakLab.Sample.RefreshState");
        AssertRoot(state, RootKind.StaticField, "System.Threading.TimerQueue.");
        AssertSteps(state, ("System.Threading.TimerQueueTimer", null), ("LeakLab.Sample.RefreshState", "_state"));

        AssertGrows(first, last, "LeakLab.Sample.ReportRefresher");
        // Live timers: the queue holds at least one timer per leaked refresher.
        AssertGrows(first, last, "System.Threading.TimerQueueTimer");
        Assert.True(Reachable(last, "System.Threading.TimerQueueTimer").Length >= Reachable(last, "LeakLab.Sample.ReportRefresher").Length);
    }

    [Fact]
    public async Task S06_linked_cts_registrations_on_the_long_lived_source_keep_each_request()
    {
        await using var sample = await StartAsync("linked-cts");
        var (first, last) = await TwoSnapshotsAsync(sample);

        RetentionPath path = MainPath(last, "LeakLab.Sample.RequestScope");
        AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.ServerLifetime.s_stopping");
        AssertSteps(path,
            ("System.Threading.CancellationTokenSource", null),
            ("System.Threading.CancellationTokenSource+Registrations", "_registrations"),
            ("System.Threading.CancellationTokenSource+CallbackNode", "Callbacks"),
            ("System.Threading.CancellationTokenSource+Linked1CancellationTokenSource", "CallbackState"),
            ("System.Threading.CancellationTokenSource+CallbackNode", "Callbacks"),
            ("System.Action", "CallbackState"),
            ("LeakLab.Sample.RequestScope", "_target"));

        AssertGrows(first, last, "LeakLab.Sample.RequestScope");
        AssertGrows(first, last, "System.Threading.CancellationTokenSource+Linked1CancellationTokenSource");
        // The registration count: two callback nodes per request (one on the parent, one on the linked source).
        AssertGrows(first, last, "System.Threading.CancellationTokenSource+CallbackNode");
    }

    [Fact]
    public async Task S07_blocked_worker_threads_grow_to_the_cap_and_their_frames_hold_the_batch_parts()
    {
        await using var sample = await StartAsync("blocked-workers", "--rate", "20");
        var (first, second) = await TwoSnapshotsAsync(sample);
        int before = BlockedWorkerThreads(first);
        int after = BlockedWorkerThreads(second);
        Assert.True(before >= 1, "the first blocked worker starts before READY");
        Assert.True(after > before, $"blocked BatchWorker threads: {before} then {after}");

        HeapRoot root = second.Graph.Roots.First(r => IsBatchWorkerFrame(r) && second.Graph.NodeTypeName(r.Node) == "LeakLab.Sample.BatchPart");
        Assert.Matches(@"^thread \d+ \(os 0x[0-9a-f]+\): LeakLab\.Sample\.BatchWorker\.Process$", root.Name);
        RetentionPath path = Assert.Single(second.Paths.PathsToAddress(second.Graph.Address(root.Node)));
        Assert.Equal(root.Name, path.RootName);
        Assert.Contains(Children(second.Graph, root.Node), c => c.Type == "System.Byte[]");

        // Past the cap the scenario stops: 20 threads/s reach 64 after 3.2 s.
        await Task.Delay(TimeSpan.FromSeconds(3));
        HeapAnalysis capped = await SnapshotAsync(sample, "capped.dmp");
        Assert.Equal(BlockedWorkersScenario.MaxThreads, BlockedWorkerThreads(capped));
    }

    [Fact]
    public async Task S08_native_memory_and_gc_handles_grow_while_the_managed_heap_barely_does()
    {
        const int payload = 64 * 1024;
        await using var sample = await StartAsync("native-handles", "--payload", payload.ToString());
        string firstDump = await sample.DumpAsync("first.dmp");
        long rssBefore = ResidentBytes(sample.Pid);
        await Task.Delay(s_gap);
        string lastDump = await sample.DumpAsync("last.dmp");
        long rssAfter = ResidentBytes(sample.Pid);
        var first = Load(firstDump);
        var last = Load(lastDump);

        // Nothing on the GC heap references the channels: every path is a strong handle straight to the object.
        IReadOnlyList<RetentionPath> paths = last.Paths.PathsToType("LeakLab.Sample.SensorChannel", limit: int.MaxValue);
        Assert.All(paths, p => Assert.Equal(RootKind.StrongHandle, p.RootKind));
        Assert.All(paths, p => Assert.Equal("LeakLab.Sample.SensorChannel", Assert.Single(p.Steps).Type));
        // Handles are grouped by kind and held type: one shape for all of them, and one root whose count grows.
        RetentionPath grouped = Assert.Single(paths);
        Assert.Equal("strong handle → LeakLab.Sample.SensorChannel", grouped.RootName);
        RootTrend handles = SnapshotComparison.Compare([first, last]).Roots
            .Single(r => r.Kind == RootKind.StrongHandle && r.Name == "strong handle → LeakLab.Sample.SensorChannel");
        Assert.True(handles.Counts[1] > handles.Counts[0], string.Join(" → ", handles.Counts));

        int strongBefore = HandleRoots(first, RootKind.StrongHandle, "LeakLab.Sample.SensorChannel");
        int strongAfter = HandleRoots(last, RootKind.StrongHandle, "LeakLab.Sample.SensorChannel");
        int pinnedBefore = HandleRoots(first, RootKind.PinnedHandle, "System.Byte[]");
        int pinnedAfter = HandleRoots(last, RootKind.PinnedHandle, "System.Byte[]");
        Assert.True(strongAfter > strongBefore, $"strong handles to SensorChannel: {strongBefore} then {strongAfter}");
        Assert.True(pinnedAfter - pinnedBefore >= strongAfter - strongBefore,
            $"pinned handles to Byte[]: {pinnedBefore} then {pinnedAfter}; channels {strongBefore} then {strongAfter}");

        // Process memory grows by about the native payload of each new channel; the managed heap by a few hundred bytes each.
        long newChannels = strongAfter - strongBefore;
        long managedGrowth = ReachableBytes(last) - ReachableBytes(first);
        long rssGrowth = rssAfter - rssBefore;
        Assert.True(rssGrowth >= newChannels * payload / 2,
            $"RSS grew {rssGrowth:N0} B for {newChannels} channels of {payload:N0} native bytes");
        Assert.True(rssGrowth > 10 * managedGrowth, $"RSS grew {rssGrowth:N0} B, the reachable managed heap {managedGrowth:N0} B");
    }

    [Fact]
    public async Task S09_handle_registry_entries_accumulate_and_age()
    {
        await using var sample = await StartAsync("handle-registry");
        DateTime firstDumpUtc = DateTime.UtcNow;
        string firstDump = await sample.DumpAsync("first.dmp");
        await Task.Delay(s_gap);
        string lastDump = await sample.DumpAsync("last.dmp");
        var first = Load(firstDump);
        var last = Load(lastDump, keep: true);

        RetentionPath path = MainPath(last, "LeakLab.Sample.ScriptCallback");
        AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.InteropHandleRegistry.s_handles");
        AssertSteps(path,
            ("System.Collections.Generic.Dictionary<System.Int64, System.Object>", null),
            ("System.Collections.Generic.Dictionary<System.Int64, System.Object>+Entry[]", "_entries"),
            ("LeakLab.Sample.ScriptCallback", "[]"));
        int[] callbacks = AssertGrows(first, last, "LeakLab.Sample.ScriptCallback");

        // Ages, read back from the dump: the oldest entry predates the first dump, the entries span the gap between dumps.
        DateTime[] registered = ReadFields(lastDump, last, callbacks, o => o.ReadField<DateTime>("<RegisteredUtc>k__BackingField"));
        Assert.True(registered.Min() <= firstDumpUtc, $"oldest registration {registered.Min():O}, first dump {firstDumpUtc:O}");
        Assert.True(registered.Max() - registered.Min() >= s_gap * 0.8, $"registrations span {registered.Max() - registered.Min()}");
    }

    [Fact]
    public async Task S10_pool_keeps_every_builder_it_created_with_its_request_data()
    {
        await using var sample = await StartAsync("pool");
        var (first, last) = await TwoSnapshotsAsync(sample);

        RetentionPath path = MainPath(last, "LeakLab.Sample.RequestData");
        AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.ReportBuilderPool.s_shared");
        AssertSteps(path,
            ("LeakLab.Sample.ReportBuilderPool", null),
            ("System.Collections.Generic.List<LeakLab.Sample.PooledReportBuilder>", "_created"),
            ("LeakLab.Sample.PooledReportBuilder", "[]"),
            ("LeakLab.Sample.RequestData", "_request"));
        int[] requests = AssertGrows(first, last, "LeakLab.Sample.RequestData");

        // The pool's retained size covers every request body it keeps.
        long retainedBefore = RetainedByRoot(first, "LeakLab.Sample.ReportBuilderPool.s_shared");
        long retainedAfter = RetainedByRoot(last, "LeakLab.Sample.ReportBuilderPool.s_shared");
        Assert.True(retainedAfter > retainedBefore, $"pool retained {retainedBefore:N0} then {retainedAfter:N0} B");
        Assert.True(retainedAfter >= requests.Length * 1024L, $"pool retains {retainedAfter:N0} B for {requests.Length} requests of 1 KiB");
    }

    [Fact]
    public async Task S11_blocked_finalizer_leaves_connections_in_the_finalizer_queue()
    {
        await using var sample = await StartAsync("blocked-finalizer");
        var (first, last) = await TwoSnapshotsAsync(sample);

        int queuedBefore = HandleRoots(first, RootKind.FinalizerQueue, "LeakLab.Sample.LegacyConnection");
        int queuedAfter = HandleRoots(last, RootKind.FinalizerQueue, "LeakLab.Sample.LegacyConnection");
        Assert.True(queuedBefore >= 1, "connections are queued before READY");
        Assert.True(queuedAfter > queuedBefore, $"LegacyConnections ready for finalization: {queuedBefore} then {queuedAfter}");
        RetentionPath path = MainPath(last, "LeakLab.Sample.LegacyConnection");
        Assert.Equal(RootKind.FinalizerQueue, path.RootKind);
        Assert.Equal("LeakLab.Sample.LegacyConnection", Assert.Single(path.Steps).Type);

        // The finalizer thread (the one in GC.RunFinalizers) is stuck inside the first connection's finalizer.
        HeapRoot runFinalizers = Assert.Single(last.Graph.Roots, r => r.Kind == RootKind.ThreadStack && r.Name.EndsWith(": System.GC.RunFinalizers", StringComparison.Ordinal));
        string finalizerThread = ThreadOf(runFinalizers);
        HeapRoot stuck = Assert.Single(last.Graph.Roots, r => r.Kind == RootKind.ThreadStack && ThreadOf(r) == finalizerThread
            && last.Graph.NodeTypeName(r.Node) == "LeakLab.Sample.LegacyConnection");
        Assert.True(stuck.Name.EndsWith("LeakLab.Sample.AuditLog.Write", StringComparison.Ordinal) || stuck.Name.EndsWith("LeakLab.Sample.LegacyConnection.Finalize", StringComparison.Ordinal),
            stuck.Name);
    }

    [Fact]
    public async Task S12_undisposed_file_streams_and_events_keep_their_safe_handles_open()
    {
        await using var sample = await StartAsync("undisposed");
        var (first, last) = await TwoSnapshotsAsync(sample);
        int openDescriptors = Directory.GetFiles($"/proc/{sample.Pid}/fd").Length;

        const string history = "LeakLab.Sample.ExportHistory.s_recent";
        RetentionPath files = Assert.Single(last.Paths.PathsToType("Microsoft.Win32.SafeHandles.SafeFileHandle"), p => p.RootName == history);
        AssertRoot(files, RootKind.StaticField, history);
        AssertSteps(files,
            ("LeakLab.Sample.ExportJob", "[]"),
            ("System.IO.FileStream", "_template"),
            ("Microsoft.Win32.SafeHandles.SafeFileHandle", null));
        RetentionPath events = MainPath(last, "Microsoft.Win32.SafeHandles.SafeWaitHandle");
        AssertRoot(events, RootKind.StaticField, history);
        AssertSteps(events,
            ("LeakLab.Sample.ExportJob", "[]"),
            ("System.Threading.ManualResetEvent", "_done"),
            ("Microsoft.Win32.SafeHandles.SafeWaitHandle", "_waitHandle"));

        int filesBefore = HeldBy(first, "Microsoft.Win32.SafeHandles.SafeFileHandle", history);
        int filesAfter = HeldBy(last, "Microsoft.Win32.SafeHandles.SafeFileHandle", history);
        Assert.True(filesAfter > filesBefore, $"SafeFileHandles held by {history}: {filesBefore} then {filesAfter}");
        AssertGrows(first, last, "Microsoft.Win32.SafeHandles.SafeWaitHandle");
        // Each of those handles is a real open file descriptor in the process.
        Assert.True(openDescriptors >= filesAfter, $"{openDescriptors} open descriptors, {filesAfter} undisposed file handles in the dump");
    }

    [Fact]
    public async Task S13_failed_release_registry_holds_exactly_the_failed_uploads()
    {
        await using var sample = await StartAsync("failed-release");
        await Task.Delay(s_gap);
        string dump = await sample.DumpAsync();
        HeapAnalysis analysis = Load(dump, keep: true);

        RetentionPath path = MainPath(analysis, "LeakLab.Sample.UploadLease");
        AssertRoot(path, RootKind.StaticField, "LeakLab.Sample.LeaseTracker.s_active");
        AssertSteps(path,
            ("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.UploadLease>+Entry[]", "_entries"),
            ("LeakLab.Sample.UploadLease", "[]"));

        // Leases of successful uploads are garbage; the registry keeps one lease per failed upload (every 4th id), no more.
        int[] leases = [.. Reachable(analysis, "LeakLab.Sample.UploadLease").Where(n => analysis.Paths.RootOf((NodeId)n)?.Name == "LeakLab.Sample.LeaseTracker.s_active")];
        long[] ids = [.. ReadFields(dump, analysis, leases, o => o.ReadField<long>("UploadId")).Order()];
        Assert.True(ids.Length >= 100, $"{ids.Length} leases in the registry");
        // The dump may catch one successful upload between acquire and release: only the newest id may be off the pattern.
        long[] failed = ids[^1] % FailedReleaseScenario.FailureEvery == 0 ? ids : ids[..^1];
        long[] expected = [.. Enumerable.Range(1, failed.Length).Select(i => (long)i * FailedReleaseScenario.FailureEvery)];
        Assert.Equal(expected, failed);
    }

    [Fact]
    public async Task S14_async_local_value_is_kept_by_the_execution_context_a_pending_task_captured()
    {
        await using var sample = await StartAsync("async-local");
        var (first, last) = await TwoSnapshotsAsync(sample);

        RetentionPath path = MainPath(last, "LeakLab.Sample.RequestContext");
        AssertRoot(path, RootKind.StaticField, "System.Threading.TimerQueue.");
        AssertSteps(path,
            ("System.Threading.TimerQueueTimer", null),
            ("System.Threading.Tasks.Task+DelayPromise", "_state"),
            ("*AsyncStateMachineBox<LeakLab.Sample.CatalogCache+<RefreshLaterAsync>*", "m_continuationObject"),
            ("System.Threading.ExecutionContext", null),
            ("System.Threading.AsyncLocalValueMap+*", "m_localValues"),
            ("LeakLab.Sample.RequestContext", null));
        AssertGrows(first, last, "LeakLab.Sample.RequestContext");
    }

    [Fact]
    public async Task S15_stack_frame_of_the_import_loop_roots_the_records()
    {
        await using var sample = await StartAsync("stack-frame");
        var (first, last) = await TwoSnapshotsAsync(sample);

        RetentionPath path = MainPath(last, "LeakLab.Sample.ImportRecord");
        Assert.Equal(RootKind.ThreadStack, path.RootKind);
        Assert.Matches(@"^thread \d+ \(os 0x[0-9a-f]+\): LeakLab\.Sample\.ImportWorker\.RunImportLoop$", path.RootName);
        AssertSteps(path,
            ("System.Collections.Generic.List<LeakLab.Sample.ImportRecord>", null),
            ("LeakLab.Sample.ImportRecord[]", "_items"),
            ("LeakLab.Sample.ImportRecord", "[]"));
        Assert.Equal("System.Collections.Generic.List<LeakLab.Sample.ImportRecord>", path.Steps[0].Type);
        AssertGrows(first, last, "LeakLab.Sample.ImportRecord");
    }

    [Fact]
    public async Task Help_lists_every_scenario()
    {
        var psi = new ProcessStartInfo(SampleProcess.DotNetHostPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(SampleProcess.SampleDllPath);
        psi.ArgumentList.Add("--help");
        using Process p = Process.Start(psi)!;
        ChildProcessGuard.Register(p);
        try
        {
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);
            string help = await stderr;
            Assert.Equal(0, p.ExitCode);
            string[] expected =
            [
                "static-cache", "event-handlers", "control", "captured-closure", "blocked-channel", "timer", "linked-cts",
                "blocked-workers", "native-handles", "handle-registry", "pool", "blocked-finalizer", "undisposed",
                "failed-release", "async-local", "stack-frame",
            ];
            Assert.Equal(expected, ScenarioRegistry.Create().Select(s => s.Name));
            foreach (string name in expected)
                Assert.Matches($@"(?m)^  {name} +S\d\d: |^  {name} +no leak", help);
        }
        finally
        {
            ChildProcessGuard.Unregister(p);
            if (!p.HasExited)
                p.Kill();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static async Task<SampleProcess> StartAsync(string scenario, params string[] args)
    {
        SampleProcess sample = await SampleProcess.StartAsync(scenario, args.Contains("--rate") ? args : [.. args, "--rate", "200"]);
        Assert.Single(sample.StandardOutputLines, l => l.StartsWith(SampleProcess.ReadyPrefix, StringComparison.Ordinal));
        return sample;
    }

    private static async Task<(HeapAnalysis First, HeapAnalysis Last)> TwoSnapshotsAsync(SampleProcess sample)
    {
        string first = await sample.DumpAsync("first.dmp");
        await Task.Delay(s_gap);
        string last = await sample.DumpAsync("last.dmp");
        return (Load(first), Load(last));
    }

    private static async Task<HeapAnalysis> SnapshotAsync(SampleProcess sample, string name) => Load(await sample.DumpAsync(name));

    /// <summary>Loads a dump; deletes it unless the test reads it again (the sample's folder is deleted on dispose anyway).</summary>
    private static HeapAnalysis Load(string dump, bool keep = false)
    {
        var analysis = new HeapAnalysis(DumpLoader.Load(dump));
        if (!keep)
            File.Delete(dump);
        return analysis;
    }

    /// <summary>Nodes of exactly this type that some root reaches.</summary>
    private static int[] Reachable(HeapAnalysis analysis, string type)
    {
        HeapGraph g = analysis.Graph;
        int typeId = Enumerable.Range(0, g.TypeCount).FirstOrDefault(t => g.TypeName((TypeId)t) == type, -1);
        return typeId < 0 ? [] : [.. Enumerable.Range(0, g.NodeCount).Where(n => g.TypeOf((NodeId)n) == typeId && analysis.Paths.IsReachable((NodeId)n))];
    }

    private static int[] AssertGrows(HeapAnalysis first, HeapAnalysis last, string type)
    {
        int before = Reachable(first, type).Length;
        int[] after = Reachable(last, type);
        Assert.True(after.Length > before, $"reachable {type}: {before} then {after.Length}; expected growth");
        return after;
    }

    /// <summary>The most common path shape to the type; it must cover most of its reachable instances.</summary>
    private static RetentionPath MainPath(HeapAnalysis analysis, string type)
    {
        IReadOnlyList<RetentionPath> paths = analysis.Paths.PathsToType(type);
        Assert.NotEmpty(paths);
        int total = Reachable(analysis, type).Length;
        Assert.True(paths[0].Count * 2 > total, $"the main path to {type} covers {paths[0].Count} of {total}: {paths[0].RootName}: {paths[0].Shape}");
        return paths[0];
    }

    private static void AssertRoot(RetentionPath path, RootKind kind, string nameOrPrefix)
    {
        Assert.Equal(kind, path.RootKind);
        if (nameOrPrefix.EndsWith('.'))
            Assert.StartsWith(nameOrPrefix, path.RootName);
        else
            Assert.Equal(nameOrPrefix, path.RootName);
    }

    /// <summary>
    /// The expected (type, field) steps appear in this order in the path (other steps may sit between them). A type
    /// with '*' is a wildcard pattern; a null field matches any.
    /// </summary>
    private static void AssertSteps(RetentionPath path, params (string Type, string? Field)[] expected)
    {
        int at = 0;
        foreach (var (type, field) in expected)
        {
            while (at < path.Steps.Count && !(TypeMatches(path.Steps[at].Type, type) && (field is null || path.Steps[at].Field == field)))
                at++;
            Assert.True(at < path.Steps.Count, $"step {type} (field {field ?? "any"}) missing or out of order in {path.RootName}: {path.Shape}");
            at++;
        }
    }

    private static bool TypeMatches(string actual, string pattern)
    {
        if (!pattern.Contains('*'))
            return actual == pattern;
        string[] parts = pattern.Split('*');
        int at = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            int found = actual.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0 || (i == 0 && found != 0))
                return false;
            at = found + parts[i].Length;
        }
        return parts[^1].Length == 0 || at == actual.Length;
    }

    private static IEnumerable<(string Type, string Field)> Children(HeapGraph graph, int node)
    {
        NodeId[] children = graph.Children((NodeId)node).ToArray();
        FieldId[] fields = graph.ChildFields((NodeId)node).ToArray();
        return children.Select((c, i) => (graph.NodeTypeName(c), graph.FieldName(fields[i])));
    }

    private static bool IsBatchWorkerFrame(HeapRoot r) =>
        r.Kind == RootKind.ThreadStack && r.Name.EndsWith(": LeakLab.Sample.BatchWorker.Process", StringComparison.Ordinal);

    private static int BlockedWorkerThreads(HeapAnalysis analysis) =>
        analysis.Graph.Roots.Where(IsBatchWorkerFrame).Where(r => analysis.Graph.NodeTypeName(r.Node) == "LeakLab.Sample.BatchPart")
            .Select(ThreadOf).Distinct().Count();

    /// <summary>"thread 4 (os 0x1f2e)" from a stack root named "thread 4 (os 0x1f2e): Namespace.Type.Method".</summary>
    private static string ThreadOf(HeapRoot root) => root.Name[..root.Name.IndexOf(':')];

    private static int HandleRoots(HeapAnalysis analysis, RootKind kind, string type) =>
        analysis.Graph.Roots.Count(r => r.Kind == kind && analysis.Graph.NodeTypeName(r.Node) == type);

    private static int HeldBy(HeapAnalysis analysis, string type, string rootName) =>
        Reachable(analysis, type).Count(n => analysis.Paths.RootOf((NodeId)n)?.Name == rootName);

    private static long RetainedByRoot(HeapAnalysis analysis, string rootName)
    {
        int index = analysis.Graph.Roots.ToList().FindIndex(r => r.Name == rootName);
        Assert.True(index >= 0, $"no root named {rootName}");
        return analysis.Dominators.RetainedByRoot((RootId)index).Bytes;
    }

    private static long ReachableBytes(HeapAnalysis analysis) =>
        Enumerable.Range(0, analysis.Graph.NodeCount).Select(n => (NodeId)n).Where(analysis.Paths.IsReachable).Sum(analysis.Graph.Size);

    /// <summary>Reads a field of each node's object with ClrMD: the graph has no field values, the dump does.</summary>
    private static T[] ReadFields<T>(string dump, HeapAnalysis analysis, int[] nodes, Func<ClrObject, T> read)
    {
        using DataTarget target = DataTarget.LoadDump(dump);
        using ClrRuntime runtime = ClrMdRuntime.Create(target);
        return [.. nodes.Select(n => read(runtime.Heap.GetObject(analysis.Graph.Address((NodeId)n))))];
    }

    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    }
}
