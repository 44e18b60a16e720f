# (id, file, scenario, title, rate, path_type, runtime_table, story, evidence_note, fix_md)
S = [
("S01","static-cache","static-cache","A static cache that only grows",200,"LeakLab.Sample.CachedOrder","memory",
"""The `static-cache` scenario processes orders. Each order is put into a static dictionary, `OrderCache.Entries`,
while it is processed, and removed when it commits. A *rejected* order throws between the two steps; the caller logs
and swallows the exception, and nothing removes the entry. Every rejected order (and its 1 KiB payload) stays
reachable from a static field for the life of the process.""",
"""The path starts at the static field `LeakLab.Sample.OrderCache.Entries` and goes through the dictionary's
`_entries` array to every `CachedOrder`: that field names the leak. The `memory` table shows the managed heap is
where the growth is.""",
"""The entry is added before validation and removed only on the success path. Remove it on *every* path:

```csharp
OrderCache.Entries[orderId] = new CachedOrder(orderId, new byte[payloadBytes]);
try
{
    if (!valid)
        throw new OrderRejectedException(orderId);
}
finally
{
    OrderCache.Entries.Remove(orderId);   // commit or rejection: the cache never keeps the order
}
```

If the cache must outlive the operation, bound it (a size-limited or expiring cache such as `MemoryCache` with a
`SizeLimit`)."""),
("S02","event-handlers","event-handlers","An event subscriber that never unsubscribes",200,"LeakLab.Sample.PriceSubscriber","memory",
"""Short-lived workers subscribe a `PriceSubscriber` to the static event `PriceFeed.PriceChanged` and never
unsubscribe (`-=`). A multicast delegate keeps every target in its invocation list, so the static event keeps every
subscriber, and its 1 KiB buffer, alive for ever: the classic dangling listener.""",
"""The path runs root → static event field `PriceChanged` → `EventHandler` → `_invocationList` (an `Object[]`) →
`_target` → `PriceSubscriber`: the publisher's delegate keeps the subscriber.""",
"""Unsubscribe when the subscriber's work is done, typically in `Dispose`:

```csharp
public sealed class PriceSubscriber : IDisposable
{
    public PriceSubscriber() => PriceFeed.PriceChanged += OnPrice;
    public void Dispose() => PriceFeed.PriceChanged -= OnPrice;   // the fix: the publisher lets go
}
using var subscriber = new PriceSubscriber();
```

For publishers that outlive their listeners by design, use a weak-event pattern."""),
("S03","captured-closure","captured-closure","A closure that captures a big buffer, held by a task that never completes",200,"System.Action<System.Threading.Tasks.Task>","tasks",
"""Each rendered report registers "send it when the service shuts down" as a continuation of a
`TaskCompletionSource` that only completes at shutdown. The lambda captures the local `renderedReport`, so the
compiler moves it into a `<>c__DisplayClass` object that the pending continuation keeps alive, one buffer per report.""",
"""The path goes static `ReportScheduler.s_shutdown` → `Task.m_continuationObject` → the continuation →
`Action._target` (the compiler-generated `<>c__DisplayClass`) → `.renderedReport`: the captured field's name is the
variable's name. The `tasks` table lists the pending task and how many continuations wait on it.""",
"""Do not queue per-item work on a task that completes "some day"; send the report when it is rendered:

```csharp
byte[] renderedReport = Render(reportId);
Send(renderedReport);   // was: s_shutdown.Task.ContinueWith(_ => Send(renderedReport));
```

If work must wait for shutdown, register one callback (`IHostApplicationLifetime.ApplicationStopping`) over a bounded
queue, and keep the lambda from capturing more than it needs."""),
("S04","blocked-channel","blocked-channel","A channel whose only reader is gone",200,"LeakLab.Sample.PendingJob","tasks",
"""`JobPipeline` writes jobs into an unbounded `Channel<T>`. Its only consumer crashed on a malformed job during
set-up (the faulted task is never observed), so every job written afterwards waits in the channel's queue for ever:
the .NET counterpart of a value sent into a channel whose receiver is blocked.""",
"""The path goes static `JobPipeline.s_jobs` → `UnboundedChannel._items` → `ConcurrentQueue` segment → `._slots` →
`PendingJob`; the item count grows with every job written. The `tasks` table shows what is still pending.""",
"""Keep the consumer alive (catch and log a bad item instead of letting the loop die), observe the consumer task, and
bound the channel so a stuck reader pushes back instead of filling memory:

```csharp
var jobs = Channel.CreateBounded<PendingJob>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.Wait });
await foreach (var job in jobs.Reader.ReadAllAsync())
{
    try { Process(job); }
    catch (MalformedJobException ex) { log.LogWarning(ex, "skipped job {Id}", job.Id); }   // the loop survives
}
```"""),
("S05","timer","timer","Timers that are never disposed",200,"LeakLab.Sample.RefreshState","timers",
"""Each widget creates a `ReportRefresher` with a one-hour `System.Threading.Timer` whose callback and state reference
the refresher and its buffer; nobody disposes the timer. The runtime's timer queue holds every timer until it is
disposed, so each widget ever created stays alive.""",
"""The path starts at the runtime's own static `TimerQueue.<Instances>k__BackingField` → `._longTimers` → a run of
`TimerQueueTimer._next` → `._state` (and `._timerCallback._target`). The `timers` table groups live timers by
callback, with due time and period: one callback, thousands of timers.""",
"""Dispose the timer when its owner is done (make the owner `IDisposable`):

```csharp
public sealed class ReportRefresher : IDisposable
{
    private readonly Timer _timer;
    public ReportRefresher() => _timer = new Timer(Refresh, new RefreshState(...), TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    public void Dispose() => _timer.Dispose();   // the fix: leaves the timer queue
}
```

For periodic work prefer one `PeriodicTimer` loop owned by a hosted service."""),
("S06","linked-cts","linked-cts","Linked cancellation sources that are never disposed",200,"LeakLab.Sample.RequestScope","tokens",
"""Each request links a `CancellationTokenSource` to the server's long-lived `Stopping` token and registers an abort
callback on it; neither the linked source nor the registration is disposed. Linking registers a callback on the
parent, so the parent's callback list grows by one per request and keeps every child, its registration and the
request (with its body) alive: the child context that keeps the parent's cancel tree alive.""",
"""The path goes static `ServerLifetime.s_stopping` → `._registrations` → `CallbackNode` (a run of `.Next`) →
`.CallbackState` (the linked source) → … → `Action._target` → `RequestScope`. The `tokens` table counts the
registrations per source.""",
"""Dispose both the linked source and the registration when the request ends; disposing unregisters them from the
parent:

```csharp
using var linked = CancellationTokenSource.CreateLinkedTokenSource(ServerLifetime.Stopping, requestAborted);
using CancellationTokenRegistration registration = linked.Token.Register(scope.Abort);
await HandleAsync(scope, linked.Token);
```"""),
("S07","blocked-workers","blocked-workers","Workers that wait for ever",8,"LeakLab.Sample.BatchPart","threads",
"""Each `BatchWorker` thread processes its part of a batch and then calls `Wait()` on the batch's `CountdownEvent`
*before* its own `Signal()`, so the count never reaches zero (the WaitGroup misuse). Every worker blocks for good, and
its stack frame keeps its `BatchPart` and buffer alive. (The sample caps this at 64 threads; a slow rate and early
dumps keep both below the cap.)""",
"""The roots are thread stacks: `thread N (os 0x…): LeakLab.Sample.BatchWorker.Process` → `BatchPart`. The `threads`
table lists the blocked threads, what they wait on, and the objects their frames root.""",
"""Signal your own completion first, then wait for the others (or do not make workers wait for each other at all):

```csharp
part.Process();
batchDone.Signal();   // the fix: count down before waiting
batchDone.Wait();
```

Better still, let the coordinator wait (`await Task.WhenAll(parts.Select(p => Task.Run(p.Process)))`)."""),
("S08","native-handles","native-handles","Native memory and GC handles that are never freed",200,"LeakLab.Sample.SensorChannel","handles",
"""Each opened `SensorChannel` allocates a native buffer with `Marshal.AllocHGlobal`, pins a managed frame buffer with
a pinned `GCHandle`, and hands itself to a "driver" through a strong `GCHandle`. A managed table keeps only the raw
`IntPtr`s, and nothing ever frees them: the process grows outside the GC heap, and the handles keep managed objects
alive with no field pointing at them.""",
"""The roots are GC handles (`strong handle 0x…` → `SensorChannel`, `pinned handle 0x…` → `Byte[]`), not fields. The
`handles` table counts strong and pinned handles by the type they hold; the `memory` table (below) shows the process
memory beyond the GC heap.""",
"""Free what you allocate, in `Dispose`, and give the type a `SafeHandle` so a forgotten `Dispose` still frees it:

```csharp
public void Dispose()
{
    Marshal.FreeHGlobal(_samples);
    _pinnedFrame.Free();
    _cookie.Free();
}
```"""),
("S09","handle-registry","handle-registry","An interop handle registry without a release hook",200,"LeakLab.Sample.ScriptCallback","memory",
"""Script callbacks are handed to a (simulated) script engine as numeric ids from `InteropHandleRegistry`, a static
`Dictionary<long, object>`. The engine should call `Release(id)` when its side is collected, but never does, so every
registration and the script state it captured stays alive. Each callback also points back at its id and the registry:
the cross-layer cycle.""",
"""The path goes static `InteropHandleRegistry.s_handles` → `Dictionary._entries` → `ScriptCallback`; the entry count
grows with every registration.""",
"""Give the handle an owner on the other side that releases it, and make a missing release visible:

```csharp
long id = InteropHandleRegistry.Register(callback);
try { engine.Run(script, id); }
finally { InteropHandleRegistry.Release(id); }   // the fix: the hook runs on every path
```

For handles whose lifetime the other side controls, use a finalizable/`SafeHandle` wrapper or a `ConditionalWeakTable`."""),
("S10","pool","pool","Pooled objects that are rented and never returned",200,"LeakLab.Sample.RequestData","memory",
"""`ReportBuilderPool` hands out `PooledReportBuilder`s and remembers every builder it created. Requests rent a
builder, attach their `RequestData`, and never return it, so the pool creates a new one each time and keeps them all,
each still holding its request.""",
"""The path goes static `ReportBuilderPool.s_shared` → `._created` → `PooledReportBuilder._request` → `RequestData`:
pool → pooled object → request data.""",
"""Return in `finally`, and clear per-request state before returning:

```csharp
var builder = pool.Rent();
try { builder.Build(request); }
finally
{
    builder.Reset();        // drop the request
    pool.Return(builder);   // the fix: back in the pool on every path
}
```

`Microsoft.Extensions.ObjectPool` with a `PooledObjectPolicy.Return` that resets does both."""),
("S11","blocked-finalizer","blocked-finalizer","A blocked finalizer thread",200,"LeakLab.Sample.LegacyConnection","finalizer",
"""Callers forget to dispose `LegacyConnection`s and rely on its finalizer, which writes an audit line under
`AuditLog`'s lock. A flusher thread took that lock and waits for ever, so the first finalizer blocks and the finalizer
thread never runs again. Every connection dropped afterwards is found dead by the next GC and parked in the
f-reachable queue for good.""",
"""The root is the finalizer queue itself (`finalizer queue (ready for finalization)`), not a field. The `finalizer`
table counts objects ready for finalization by type; the `threads` table shows the finalizer thread's blocked stack
(`System.GC.RunFinalizers` → `AuditLog.Write`).""",
"""Dispose instead of relying on finalizers, and never block in a finalizer:

```csharp
using var connection = new LegacyConnection(id, buffer);   // Dispose calls GC.SuppressFinalize(this)
```

and let the flusher wait for the share *outside* the lock."""),
("S12","undisposed","undisposed","Resources that are never closed",200,"LeakLab.Sample.ExportJob","safehandles",
"""Each `ExportJob` opens a `FileStream` (a real file descriptor) and a `ManualResetEvent`, and nobody disposes the
job; a history list keeps the jobs. The operating-system handles stay open as long as the jobs live (the sample caps
open files at 2,000).""",
"""The path goes static `ExportHistory.s_recent` → `ExportJob._template` → `FileStream._strategy` → `SafeFileHandle`
(and `._done` → `SafeWaitHandle`). The `safehandles` table counts open handles by type.""",
"""Dispose every `IDisposable` you own, with `using`, and keep history as plain data, not open resources:

```csharp
using (var job = new ExportJob(id))
    job.Run();
history.Add(job.Summary);   // the fix: no open handle kept
```"""),
("S13","failed-release","failed-release","An exception path that skips the release",200,"LeakLab.Sample.UploadLease","memory",
"""`UploadHandler.Handle` acquires an `UploadLease` in `LeaseTracker`, stores the chunk and releases the lease
afterwards, with no `try/finally`. Every upload whose checksum fails throws past the release, so the tracker grows by
exactly the failed uploads (one in four).""",
"""The path goes static `LeaseTracker.s_active` → `Dictionary._entries` → `UploadLease`; the count grows by one per
failed upload.""",
"""Release on every path:

```csharp
UploadLease lease = LeaseTracker.Acquire(uploadId, chunk);
try { Store(chunk, checksumOk); }
finally { LeaseTracker.Release(lease); }   // the fix
```

or make the lease `IDisposable` and write `using var lease = LeaseTracker.Acquire(...)`."""),
("S14","async-local","async-local","An AsyncLocal value carried along for ever",200,"LeakLab.Sample.RequestContext","timers",
"""Each request sets `RequestContext.Current` (an `AsyncLocal<T>` holding the request, with its body) and, deep inside,
starts a fire-and-forget "refresh the cache in an hour" task. Starting it captures the current `ExecutionContext`,
and with it every AsyncLocal value of the request, into the task's pending continuation, which the runtime's timer
queue holds for the hour.""",
"""The path goes from the runtime's timer queue → `TimerQueueTimer._state` → `DelayPromise.m_continuationObject` → the
async state machine box → `ExecutionContext.m_localValues` → the AsyncLocal value map → `RequestContext`. The `timers`
table shows the hour-long timers behind it.""",
"""Do not let long-lived background work capture a request's execution context:

```csharp
using (ExecutionContext.SuppressFlow())
    _ = RefreshCatalogLaterAsync();   // the fix: captures no AsyncLocal values
```

and start such work once (a hosted service), not per request."""),
("S15","stack-frame","stack-frame","A stack frame that keeps what it no longer needs",200,"LeakLab.Sample.ImportRecord","threads",
"""The `import-worker` thread runs a never-ending loop that keeps every record it imported in a local `List` "for the
summary at the end of the run". The run never ends, and the code after the loop still reads the list, so the JIT keeps
it alive: the GC cannot see that the program no longer needs the records.""",
"""The root is a thread's stack frame: `thread N (os 0x…): LeakLab.Sample.ImportWorker.RunImportLoop` → `List<ImportRecord>`
→ `ImportRecord`. The `threads` table names the thread and how much its frames root.""",
"""Keep only what the summary needs (totals), not the records:

```csharp
long imported = 0, bytes = 0;
foreach (ImportRecord record in incoming.GetConsumingEnumerable())
{
    Import(record);
    imported++; bytes += record.Data.Length;   // the fix: totals, not a growing list
}
```"""),
]
