namespace LeakLab.Core.Inspections;

/// <summary>
/// Steady growth of one measure across snapshots (a count of subscribers, registrations, timers, threads…): it ends
/// higher by at least a floor and a share, never dips by more than max(2, 1%), and rises in at least 60% of the
/// intervals. Two snapshots need 10% and the floor; three or more 5%.
/// </summary>
internal static class SeriesGrowth
{
    public static bool Grows(long[] v, long floor)
    {
        if (v.Length < 2)
            return false;
        long first = v[0], last = v[^1];
        if (last - first < floor || last <= first)
            return false;
        double relative = (double)(last - first) / Math.Max(first, 1);
        if (relative < (v.Length == 2 ? 0.10 : 0.05))
            return false;
        int rises = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] < v[i - 1] - Math.Max(2, v[i - 1] / 100))
                return false;
            if (v[i] > v[i - 1])
                rises++;
        }
        return rises >= Math.Ceiling(0.6 * (v.Length - 1));
    }

    /// <summary>A score in [0.5, 1): higher for more snapshots, steadier rises and larger relative growth.</summary>
    public static double Score(long[] v)
    {
        if (v.Length < 2 || v[^1] <= v[0])
            return 0.5;
        int rises = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[i - 1])
                rises++;
        }
        double relative = (double)(v[^1] - v[0]) / Math.Max(v[0], 1);
        double score = 0.5 + 0.2 * rises / (v.Length - 1) + 0.2 * relative / (1 + relative) + (v.Length >= 3 ? 0.09 : 0);
        return Math.Round(Math.Min(score, 0.99), 3);
    }

    public static string Text(long[] v) => string.Join(" → ", v.Select(Quantity.Count));

    public static string Bytes(long[] v) => string.Join(" → ", v.Select(ByteSize.Format));
}
