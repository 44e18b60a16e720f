namespace LeakLab.Sample;

/// <summary>
/// S05: timers that are never stopped. Each dashboard widget starts a <see cref="ReportRefresher"/>, which creates a
/// <see cref="System.Threading.Timer"/> (period: one hour) and keeps it in a field so it "can be disposed later";
/// nobody ever calls <see cref="ReportRefresher.Stop"/>. The runtime's timer queue holds the timer, the timer's
/// callback holds the refresher (its <c>_target</c>) and the timer's state holds the last snapshot. Keeping the
/// <c>Timer</c> in the refresher matters: an unreferenced <c>Timer</c> is closed by its finalizer, a referenced one
/// lives until disposed. One Step = one leaked refresher (and timer) with its buffer and snapshot.
/// <c>--fixed</c>: the widget calls <see cref="ReportRefresher.Stop"/> when it closes, which disposes the timer.
/// </summary>
/// <remarks>
/// Evidence: root = the runtime's timer queue (static <c>System.Threading.TimerQueue</c> instances) →
/// <c>TimerQueueTimer</c> (a <c>._next</c> run) → <c>._timerCallback</c> <c>TimerCallback</c> → <c>._target</c>
/// <c>ReportRefresher</c>, and <c>TimerQueueTimer._state</c> → <c>RefreshState</c>; the count of
/// <c>TimerQueueTimer</c> and <c>ReportRefresher</c> grows.
/// </remarks>
public sealed class TimerScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _widgetId;

    public string Name => "timer";
    public string Description => "S05: one-hour System.Threading.Timer per ReportRefresher, never disposed; the timer queue keeps them";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        var refresher = new ReportRefresher(++_widgetId, _payloadBytes);
        refresher.Start();
        // The widget is closed here; the missing call is refresher.Stop().
        if (_fixed)
            refresher.Stop();
    }
}

public sealed class ReportRefresher(long widgetId, int bufferBytes)
{
    private static readonly TimeSpan s_period = TimeSpan.FromHours(1);
    private readonly byte[] _renderBuffer = new byte[bufferBytes];
    private Timer? _timer;
    public long Refreshes;

    public long WidgetId { get; } = widgetId;

    public void Start() =>
        _timer = new Timer(Refresh, new RefreshState(WidgetId, new byte[_renderBuffer.Length / 2]), s_period, s_period);

    public void Stop() => _timer?.Dispose();

    private void Refresh(object? state)
    {
        if (state is RefreshState s && _renderBuffer.Length > 0)
            _renderBuffer[0] = (byte)s.LastSnapshot.Length;
        Refreshes++;
    }
}

/// <summary>The timer's state object: the last data snapshot of the widget.</summary>
public sealed class RefreshState(long widgetId, byte[] lastSnapshot)
{
    public long WidgetId { get; } = widgetId;
    public byte[] LastSnapshot { get; } = lastSnapshot;
}
