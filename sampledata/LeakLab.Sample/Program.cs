using System.Diagnostics;

namespace LeakLab.Sample;

/// <summary>
/// The leaky sample program. Prints exactly one stdout line, <c>LEAKLAB-READY {"pid":N,"scenario":"name"}</c>, once set
/// up, then leaks <c>--rate</c> items per second until killed. Everything else goes to stderr (except createdump's own
/// log lines, which the runtime writes to this process's stdout while a dump is taken).
/// </summary>
public static class Program
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(20);

    public static int Main(string[] args)
    {
        IReadOnlyList<IScenario> scenarios = ScenarioRegistry.Create();
        if (args is ["--help" or "-h"])
        {
            Console.Error.WriteLine(SampleOptions.Usage);
            foreach (IScenario s in scenarios)
                Console.Error.WriteLine($"  {s.Name,-18} {s.Description}");
            return 0;
        }

        SampleOptions options;
        try
        {
            options = SampleOptions.Parse(args, scenarios.Select(s => s.Name).ToArray());
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }

        IScenario scenario = scenarios.Single(s => s.Name == options.Scenario);
        if (options.ParentPid is int parent)
            WatchParent(parent);
        if (options.Ballast > 0)
            Ballast.Allocate(options.Ballast);
        scenario.Setup(options);

        // Hand-written JSON: scenario names are [a-z-] only, and System.Text.Json would add its own statics and
        // objects to every heap that LeakLab then analyses.
        Console.Out.WriteLine($"LEAKLAB-READY {{\"pid\":{Environment.ProcessId},\"scenario\":\"{scenario.Name}\"}}");
        Console.Out.Flush();
        Console.Error.WriteLine($"{(options.Fixed ? "fixed (no leak)" : "leaking")}: scenario={scenario.Name} rate={options.Rate}/s payload={options.PayloadBytes} B ballast={options.Ballast} max-items={options.MaxItems?.ToString() ?? "unlimited"}");

        Run(scenario, options);
        return 0;
    }

    /// <summary>Calls Step at the requested rate in small batches, catching up after pauses (a dump freezes the process).</summary>
    private static void Run(IScenario scenario, SampleOptions options)
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        while (true)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * options.Rate);
            if (options.MaxItems is long max)
                due = Math.Min(due, max);
            for (; done < due; done++)
                scenario.Step();
            Thread.Sleep(s_tick);
        }
    }

    private static void WatchParent(int parentPid)
    {
        var watcher = new Thread(() =>
        {
            while (IsAlive(parentPid))
                Thread.Sleep(500);
            Console.Error.WriteLine($"parent process {parentPid} is gone; exiting");
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "parent-watch" };
        watcher.Start();
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
            return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
