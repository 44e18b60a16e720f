using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Reads the roots of a dump in the order the graph wants them: named static fields first (every kind, see
/// <see cref="StaticSlots"/>), then thread statics,
/// strong and pinned handles, thread stacks and the finalizer queue; and the dependent-handle pairs, which become
/// edges rather than roots.
/// </summary>
/// <remarks>
/// Statics come first because on .NET Core they are not roots of their own: the runtime keeps them in object[]
/// arrays held by strong handles, so a shortest-path search seeded in handle order would name
/// "strong handle → Object[]" instead of the field (ClrMD's EnumerateRoots reports no static roots on .NET 10). Seeding with the fields makes every path to
/// a static's object start at the field. Each module and each thread is read on its own, so one that the DAC cannot
/// read costs its roots, not the load.
/// </remarks>
internal sealed class RootReader
{
    private readonly ClrRuntime _runtime;
    private readonly List<RawRoot> _roots = [];
    private readonly List<(ulong Primary, ulong Secondary)> _dependents = [];

    public RootReader(ClrRuntime runtime) => _runtime = runtime;

    public IReadOnlyList<RawRoot> Roots => _roots;
    public IReadOnlyList<(ulong Primary, ulong Secondary)> DependentHandles => _dependents;
    /// <summary>Modules, threads or handle tables the DAC could not read.</summary>
    public int Failures { get; private set; }

    public void ReadAll(CancellationToken cancel)
    {
        ClrThread[] threads = [.. _runtime.Threads.Where(t => t.IsAlive)];
        ReadStatics(threads, cancel);
        ReadHandles();
        ReadStacks(threads, cancel);
        ReadFinalizerQueue();
    }

    private void ReadStatics(ClrThread[] threads, CancellationToken cancel)
    {
        var seen = new HashSet<(string, ulong)>();
        List<StaticSlot> slots = StaticSlots.Read(_runtime, _runtime.DataTarget.DataReader, threads, cancel, out int failures);
        foreach (StaticSlot slot in slots)
        {
            if (seen.Add((slot.Name, slot.Object)))
                _roots.Add(new RawRoot(slot.Kind, slot.Name, slot.Object));
        }
        Failures += failures;
    }

    private void ReadHandles()
    {
        try
        {
            foreach (ClrHandle handle in _runtime.EnumerateHandles())
            {
                ulong address = handle.Object.Address;
                if (address == 0)
                    continue;
                (RootKind Kind, string Label)? root = handle.HandleKind switch
                {
                    ClrHandleKind.Strong => (RootKind.StrongHandle, "strong handle"),
                    ClrHandleKind.Pinned => (RootKind.PinnedHandle, "pinned handle"),
                    ClrHandleKind.AsyncPinned => (RootKind.PinnedHandle, "async pinned handle"),
                    ClrHandleKind.RefCounted when handle.IsStrong => (RootKind.OtherHandle, "ref-counted handle"),
                    ClrHandleKind.SizedRef => (RootKind.OtherHandle, "sized-ref handle"),
                    _ => null, // weak handles keep nothing alive
                };
                if (handle.HandleKind == ClrHandleKind.Dependent)
                {
                    ulong secondary = handle.Dependent.Address;
                    if (secondary != 0)
                        _dependents.Add((address, secondary));
                }
                else if (root is { } r)
                {
                    _roots.Add(new RawRoot(r.Kind, $"{r.Label} 0x{handle.Address:x}", address));
                }
            }
        }
        catch (Exception)
        {
            Failures++;
        }
    }

    private void ReadStacks(ClrThread[] threads, CancellationToken cancel)
    {
        foreach (ClrThread thread in threads)
        {
            cancel.ThrowIfCancellationRequested();
            string threadName = $"thread {thread.ManagedThreadId} (os 0x{thread.OSThreadId:x})";
            try
            {
                foreach (ClrRoot root in thread.EnumerateStackRoots())
                {
                    ulong address = root.Object.Address;
                    if (address == 0)
                        continue;
                    string frame = root is ClrStackRoot { StackFrame: { } f } ? FrameName(f) : "unknown frame";
                    _roots.Add(new RawRoot(RootKind.ThreadStack, $"{threadName}: {frame}", address));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failures++;
            }
        }
    }

    private void ReadFinalizerQueue()
    {
        try
        {
            foreach (ClrRoot root in _runtime.Heap.EnumerateFinalizerRoots())
            {
                if (root.Object.Address != 0)
                    _roots.Add(new RawRoot(RootKind.FinalizerQueue, "finalizer queue (ready for finalization)", root.Object.Address));
            }
        }
        catch (Exception)
        {
            Failures++;
        }
    }

    private static string FrameName(ClrStackFrame frame)
    {
        if (frame.Method is { } method)
            return $"{TypeNameNormalizer.Normalize(method.Type?.Name ?? "?")}.{method.Name}";
        return string.IsNullOrEmpty(frame.FrameName) ? "unknown frame" : frame.FrameName;
    }
}
