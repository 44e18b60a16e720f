using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Runtime;

/// <summary>
/// Live timers, read the way the runtime keeps them: the static <c>TimerQueue.Instances</c> array (one queue per
/// core), each queue's <c>_shortTimers</c> and <c>_longTimers</c> lists of <c>TimerQueueTimer</c> linked by <c>_next</c>.
/// </summary>
/// <remarks>Walking the queues (not the heap) counts exactly the timers that will fire, never collected garbage.</remarks>
internal static class TimerQueueReader
{
    private const int MaxTimers = 5_000_000; // a corrupt _next cycle must not spin forever

    public static IReadOnlyList<TimerRow> Read(ClrRuntime runtime)
    {
        ClrType? queueType = runtime.BaseClassLibrary.GetTypeByName("System.Threading.TimerQueue");
        ClrStaticField? instances = queueType?.StaticFields.FirstOrDefault(f => f.Name is "<Instances>k__BackingField" or "s_instances" or "Instances");
        ClrAppDomain? domain = runtime.AppDomains.FirstOrDefault();
        if (instances is null || domain is null || !instances.IsInitialized(domain))
            return [];
        ClrObject array = instances.ReadObject(domain);
        if (array.IsNull || !array.IsArray)
            return [];

        var groups = new Dictionary<(string, string?, string?), Group>();
        var seen = new HashSet<ulong>();
        ClrArray queues = array.AsArray();
        for (int q = 0; q < queues.Length; q++)
        {
            ClrObject queue = queues.GetObjectValue(q);
            if (queue.IsNull)
                continue;
            foreach (string list in (string[])["_shortTimers", "_longTimers", "_timers"])
            {
                for (ClrObject timer = ClrValues.Object(queue, list); !timer.IsNull && seen.Count < MaxTimers; timer = ClrValues.Object(timer, "_next"))
                {
                    if (!seen.Add(timer.Address))
                        break;
                    Add(groups, timer);
                }
            }
        }
        return [.. groups.Select(g => g.Value.Row(g.Key)).OrderByDescending(r => r.Count).ThenBy(r => r.Callback, StringComparer.Ordinal)];
    }

    private static void Add(Dictionary<(string, string?, string?), Group> groups, ClrObject timer)
    {
        var (method, target) = ClrValues.DelegateTarget(ClrValues.Object(timer, "_timerCallback"));
        string? state = ClrValues.TypeName(ClrValues.Object(timer, "_state"));
        var key = (method, target, state);
        if (!groups.TryGetValue(key, out Group? group))
            groups.Add(key, group = new Group(timer.Address));
        group.Count++;
        long due = Milliseconds(ClrValues.Integer(timer, "_dueTime"));
        group.MinDue = Math.Min(group.MinDue, due);
        group.MaxDue = Math.Max(group.MaxDue, due);
        long period = Milliseconds(ClrValues.Integer(timer, "_period"));
        group.Periods[period] = group.Periods.GetValueOrDefault(period) + 1;
    }

    // Timeout.UnsignedInfinite (0xFFFFFFFF) and -1 both mean "never".
    private static long Milliseconds(long? value) => value is null or -1 or 0xFFFFFFFF ? -1 : value.Value;

    private sealed class Group(ulong example)
    {
        public long Count;
        public long MinDue = long.MaxValue;
        public long MaxDue = long.MinValue;
        public readonly Dictionary<long, long> Periods = [];

        public TimerRow Row((string Method, string? Target, string? State) key) =>
            new(key.Method, key.Target, key.State, Count, MinDue, MaxDue, Periods.MaxBy(p => p.Value).Key, example);
    }
}
