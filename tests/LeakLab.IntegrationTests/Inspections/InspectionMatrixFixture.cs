using System.Diagnostics;

namespace LeakLab.IntegrationTests.Inspections;

/// <summary>
/// Every sample scenario, its <c>--fixed</c> variant and <c>control</c>, each run for real: two dumps about a second
/// apart, loaded with their runtime tables, inspected; the reports are kept, the dumps deleted (except the timer
/// scenario's, which the CLI tests read). Variants run a few at a time so the whole matrix costs about a minute or two.
/// </summary>
public sealed class InspectionMatrixFixture : IAsyncLifetime
{
    /// <summary>Each leaking scenario and the inspection (scenario id) that must name it.</summary>
    public static readonly (string Scenario, string Expected)[] Leaks =
    [
        ("static-cache", "S01"), ("event-handlers", "S02"), ("captured-closure", "S03"), ("blocked-channel", "S04"),
        ("timer", "S05"), ("linked-cts", "S06"), ("blocked-workers", "S07"), ("native-handles", "S08"),
        ("handle-registry", "S09"), ("pool", "S10"), ("blocked-finalizer", "S11"), ("undisposed", "S12"),
        ("failed-release", "S13"), ("async-local", "S14"), ("stack-frame", "S15"),
    ];

    /// <summary>The scenario whose dumps are kept for the CLI tests.</summary>
    public const string KeptScenario = "timer";

    private const int Parallel = 4;
    private static readonly TimeSpan s_gap = TimeSpan.FromSeconds(1);
    private readonly TempFolder _kept = new("leaklab-inspect-matrix");

    /// <summary>Reports by variant name: "timer", "timer --fixed", "control".</summary>
    public Dictionary<string, InspectionReport> Reports { get; } = new(StringComparer.Ordinal);
    /// <summary>Variants that could not be run, with the error.</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);
    /// <summary>The kept scenario's two dumps, oldest first.</summary>
    public List<string> KeptDumps { get; } = [];
    public TimeSpan Elapsed { get; private set; }

    public static IEnumerable<string> Variants =>
        Leaks.Select(l => l.Scenario).Concat(Leaks.Select(l => l.Scenario + " --fixed")).Append("control");

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(Parallel);
        await Task.WhenAll(Variants.Select(async variant =>
        {
            await gate.WaitAsync();
            try
            {
                InspectionReport report = await RunAsync(variant);
                lock (Reports)
                    Reports[variant] = report;
            }
            catch (Exception ex)
            {
                lock (Failures)
                    Failures[variant] = $"{ex.GetType().Name}: {ex.Message}";
            }
            finally
            {
                gate.Release();
            }
        }));
        Elapsed = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        _kept.Dispose();
        return Task.CompletedTask;
    }

    private async Task<InspectionReport> RunAsync(string variant)
    {
        string scenario = variant.Split(' ')[0];
        var args = new List<string>();
        if (variant.EndsWith(" --fixed", StringComparison.Ordinal))
            args.Add("--fixed");
        // blocked-workers stops at 64 threads: slowly enough that both dumps fall before the cap.
        args.AddRange(["--rate", scenario == "blocked-workers" ? "16" : "200"]);
        var dumps = new List<string>();
        await using (SampleProcess sample = await SampleProcess.StartAsync(scenario, [.. args]))
        {
            dumps.Add(await sample.DumpAsync("first.dmp"));
            await Task.Delay(s_gap);
            dumps.Add(await sample.DumpAsync("last.dmp"));
            // The sample's folder goes with it: move the dumps to ours, then stop it before the CPU-heavy loads.
            for (int i = 0; i < dumps.Count; i++)
            {
                string moved = _kept.File($"{variant.Replace(' ', '_')}-{i + 1}.dmp");
                File.Move(dumps[i], moved);
                dumps[i] = moved;
            }
        }
        var snapshots = new List<InspectionSnapshot>();
        try
        {
            foreach (string dump in dumps)
                snapshots.Add(await Task.Run(() => RuntimeReader.Load(dump)));
        }
        finally
        {
            if (variant == KeptScenario)
                KeptDumps.AddRange(dumps);
            else
                dumps.ForEach(File.Delete);
        }
        return Inspector.Run(snapshots);
    }
}
