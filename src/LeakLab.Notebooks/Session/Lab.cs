namespace LeakLab.Notebooks.Session;

/// <summary>
/// Entry point for notebooks and plain C#: <c>var s = await Lab.Open("a.dmp", "b.dmp");</c>.
/// <see cref="Current"/> is the session <c>#!leaklab</c> magic commands act on.
/// </summary>
public static class Lab
{
    private static LeakLabSession? s_current;

    /// <summary>The session magic commands use; created on first use. Open and the runner replace it.</summary>
    public static LeakLabSession Current
    {
        get => s_current ??= new LeakLabSession();
        set => s_current = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Starts a new session with these dumps loaded (in order) and makes it <see cref="Current"/>.</summary>
    public static async Task<LeakLabSession> Open(params string[] dumpPaths)
    {
        var session = new LeakLabSession();
        try
        {
            foreach (string path in dumpPaths)
                await session.LoadAsync(path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        Current = session;
        return session;
    }
}
