namespace LeakLab.Cli;

/// <summary>The known name a mistyped word most likely meant ("statz" → "stats"), by edit distance.</summary>
internal static class NearestName
{
    /// <summary>
    /// The candidate closest to <paramref name="word"/> (case-insensitive Levenshtein distance), if it is close enough
    /// to be a typo: at most 2 edits, and fewer than half the word's letters. Null when none is, or two tie.
    /// </summary>
    public static string? Of(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (string candidate in candidates)
        {
            int d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
                (best, bestDistance, tie) = (candidate, d, false);
            else if (d == bestDistance && !string.Equals(candidate, best, StringComparison.Ordinal))
                tie = true;
        }
        return best is not null && !tie && bestDistance <= 2 && bestDistance * 2 < word.Length ? best : null;
    }

    /// <summary>Insertions, deletions and substitutions that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
