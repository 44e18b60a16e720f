namespace LeakLab.Sample;

/// <summary>
/// S12: resources that are never closed. Each <see cref="ExportJob"/> opens a <see cref="FileStream"/> on its template
/// and creates a <see cref="ManualResetEvent"/> to signal completion, and nothing disposes either. The jobs are kept in
/// <see cref="ExportHistory"/> for the status page, so the streams (and their <c>SafeFileHandle</c>s, i.e. open file
/// descriptors) and the events (<c>SafeWaitHandle</c>s) stay open. One Step = one undisposed job. Bounded: at most
/// <see cref="MaxOpenFiles"/> open files (file descriptors are a per-process limit); later jobs open only their event.
/// <c>--fixed</c>: <see cref="ExportJob"/> is <see cref="IDisposable"/> and disposed after its run, and the status page
/// keeps the last <see cref="ExportHistory.FixedCapacity"/> jobs.
/// </summary>
/// <remarks>
/// Evidence: the counts of <c>SafeFileHandle</c>, <c>FileStream</c> (its strategy objects) and <c>SafeWaitHandle</c>
/// grow; their retention path names who holds them: static field <c>LeakLab.Sample.ExportHistory.s_recent</c> →
/// <c>List&lt;ExportJob&gt;</c> → <c>ExportJob</c> → <c>._template</c> <c>FileStream</c> → … → <c>SafeFileHandle</c>.
/// </remarks>
public sealed class UndisposedScenario : IScenario
{
    public const int MaxOpenFiles = 2000;
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _jobId;
    private string _templatePath = "";

    public string Name => "undisposed";
    public string Description => $"S12: ExportJobs keep an undisposed FileStream (up to {MaxOpenFiles}) and ManualResetEvent each; ExportHistory.s_recent holds them";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // Any readable file will do: the sample's own assembly is always there and is never written.
        _templatePath = typeof(UndisposedScenario).Assembly.Location;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken. The
        // fixed variant fills its bounded history first (as control fills its cache), so it is at its steady size.
        for (int i = _fixed ? ExportHistory.FixedCapacity : 1; i > 0; i--)
            Step();
    }

    public void Step()
    {
        bool openTemplate = ExportJob.OpenTemplates < MaxOpenFiles;
        var job = new ExportJob(++_jobId, openTemplate ? _templatePath : null, _payloadBytes);
        job.Run();
        if (_fixed)
        {
            job.Dispose();
            ExportHistory.AddBounded(job);
            return;
        }
        ExportHistory.Add(job);
    }
}

public sealed class ExportJob : IDisposable
{
    public static int OpenTemplates;
    private readonly FileStream? _template;
    private readonly ManualResetEvent _done = new(false);
    private readonly byte[] _output;

    public ExportJob(long id, string? templatePath, int outputBytes)
    {
        Id = id;
        _output = new byte[outputBytes];
        if (templatePath is not null)
        {
            // The bug: opened without `using`, and ExportJob is not IDisposable, so nobody can close it.
            _template = new FileStream(templatePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            OpenTemplates++;
        }
    }

    public long Id { get; }

    /// <summary>The fix: close the file and the event (their SafeHandles) when the job is done.</summary>
    public void Dispose()
    {
        if (_template is not null)
        {
            _template.Dispose();
            OpenTemplates--;
        }
        _done.Dispose();
    }

    public void Run()
    {
        if (_template is not null && _output.Length > 0)
            _output[0] = (byte)_template.ReadByte();
        _done.Set();
    }
}

/// <summary>Recent jobs for the status page; it never trims them.</summary>
public static class ExportHistory
{
    public const int FixedCapacity = 100;
    private static readonly List<ExportJob> s_recent = [];
    public static void Add(ExportJob job) => s_recent.Add(job);

    /// <summary>The fixed status page: only the most recent jobs.</summary>
    public static void AddBounded(ExportJob job)
    {
        s_recent.Add(job);
        if (s_recent.Count > FixedCapacity)
            s_recent.RemoveAt(0);
    }
}
