using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace LeakLab.Sample;

/// <summary>
/// S15: a stack frame keeps what the program no longer needs. The <see cref="ImportWorker"/> thread runs one long
/// loop; it keeps every record it imported in a local list "for the summary at the end of the run", and the run never
/// ends. No field or static references the list, only the loop's frame, so the GC must treat it as live (the JIT
/// reports it because the code after the loop still reads it). One Step = one imported record kept by the frame.
/// <c>--fixed</c>: the loop keeps only the running totals the summary needs, not the records.
/// </summary>
/// <remarks>
/// Evidence: root = a thread stack root <c>thread N (os 0x…): LeakLab.Sample.ImportWorker.RunImportLoop</c> →
/// <c>List&lt;ImportRecord&gt;</c> → <c>ImportRecord[]</c> → <c>ImportRecord</c> → <c>Byte[]</c>; the count of
/// <c>ImportRecord</c> grows.
/// </remarks>
public sealed class StackFrameScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _recordId;

    public string Name => "stack-frame";
    public string Description => "S15: the ImportWorker thread's loop frame keeps a local List of every ImportRecord it imported";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        ImportWorker.Start(keepRecords: !_fixed);
        // One record imported before READY, so the frame already holds the list in the first snapshot.
        Step();
        SpinWait.SpinUntil(() => ImportWorker.Imported >= 1, TimeSpan.FromSeconds(10));
    }

    public void Step() => ImportWorker.Enqueue(new ImportRecord(++_recordId, new byte[_payloadBytes]));
}

public static class ImportWorker
{
    private static readonly BlockingCollection<ImportRecord> s_incoming = new(new ConcurrentQueue<ImportRecord>());
    private static volatile int s_imported;

    public static int Imported => s_imported;

    public static void Enqueue(ImportRecord record) => s_incoming.Add(record);

    public static void Start(bool keepRecords = true)
    {
        var thread = new Thread(keepRecords ? RunImportLoop : RunImportLoopWithTotals) { IsBackground = true, Name = "import-worker" };
        thread.Start();
    }

    // Not inlined, so the stack root names this method.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunImportLoop()
    {
        var importedThisRun = new List<ImportRecord>();
        long bytes = 0;
        // The bug: the loop never ends, and the list is only needed after it, so it grows for the life of the process.
        foreach (ImportRecord record in s_incoming.GetConsumingEnumerable())
        {
            bytes += record.Data.Length;
            importedThisRun.Add(record);
            s_imported = importedThisRun.Count;
        }
        Console.Error.WriteLine($"import run done: {importedThisRun.Count} records, {bytes} bytes");
    }

    /// <summary>The fix: the summary needs two numbers, so the frame keeps two numbers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunImportLoopWithTotals()
    {
        int count = 0;
        long bytes = 0;
        foreach (ImportRecord record in s_incoming.GetConsumingEnumerable())
        {
            bytes += record.Data.Length;
            s_imported = ++count;
        }
        Console.Error.WriteLine($"import run done: {count} records, {bytes} bytes");
    }
}

public sealed class ImportRecord(long id, byte[] data)
{
    public long Id { get; } = id;
    public byte[] Data { get; } = data;
}
