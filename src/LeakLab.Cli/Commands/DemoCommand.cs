using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab demo [SCENARIO] [--fixed] [--keep-dump DIR]</c>: the whole workflow on the sample program — start it on
/// any of its scenarios (S01–S15, control), let it leak, take three dumps a few seconds apart, run the inspections and
/// lead with their finding, then compare the dumps and show the top suspect and why it is alive. <c>--fixed</c> runs the
/// scenario with its bug corrected, which the inspections must find clean.
/// </summary>
internal static class DemoCommand
{
    public static readonly string[] Scenarios = [.. LeakLab.Sample.ScenarioRegistry.Create().Select(s => s.Name)];

    // Scenarios capped by a machine resource reach their cap within a second at the default rate: slower, so the
    // three dumps see them grow (blocked-workers stops at 64 threads).
    private static readonly Dictionary<string, double> s_defaultRates = new(StringComparer.Ordinal) { ["blocked-workers"] = 8 };
    private const int SnapshotCount = 3; // three points tell steady growth from a one-off jump (issue 3 #5)

    public static Command Create(CliContext context)
    {
        Argument<string> scenario = new("SCENARIO")
        {
            HelpName = "SCENARIO", // the full list is in the description: as a usage string it made every help line 600 columns wide
            Description = "Which scenario of the sample program to run: " + string.Join(", ", Scenarios)
                + " (see sampledata/LeakLab.Sample/README.md; control leaks nothing).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => Scenarios[0],
        };
        scenario.AcceptOnlyFromAmong(Scenarios);
        Option<string?> keep = new("--keep-dump") { Description = "Keep the three dumps in this folder (created if missing) instead of deleting them.", HelpName = "DIR" };
        Option<double> interval = new("--interval") { Description = "Seconds between the dumps (default 3).", HelpName = "SECONDS", DefaultValueFactory = _ => 3 };
        Option<double?> rate = new("--rate") { Description = "Items the sample leaks per second (default 2000; blocked-workers 8).", HelpName = "N" };
        Option<bool> fixedVariant = new("--fixed") { Description = "Run the scenario with its bug corrected: the same work, no leak; the inspections should find it clean." };
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("demo", "Run the sample leaky program, take three dumps, and show what leaks and which root holds it.")
        {
            scenario, keep, interval, rate, fixedVariant, dac,
        };
        command.SetAction(parse =>
        {
            double seconds = parse.GetValue(interval);
            if (!(seconds is > 0 and <= 600))
                throw new UsageException($"--interval must be between 0 and 600 seconds, got {seconds}");
            string name = parse.GetValue(scenario) ?? Scenarios[0];
            double leakRate = parse.GetValue(rate) ?? s_defaultRates.GetValueOrDefault(name, 2000);
            if (!(leakRate is >= 0 and <= 1_000_000))
                throw new UsageException($"--rate must be between 0 and 1000000, got {leakRate}");
            return Run(context, name, parse.GetValue(fixedVariant), parse.GetValue(keep), TimeSpan.FromSeconds(seconds), leakRate, parse.GetValue(dac));
        });
        return command;
    }

    private static int Run(CliContext context, string scenario, bool fixedVariant, string? keepDir, TimeSpan interval, double rate, string? dac)
    {
        var clock = Stopwatch.StartNew();
        ProgressLine progress = context.Progress;
        CancellationToken cancel = context.Cancellation;
        string dll = SampleLocator.Find(progress, cancel);

        string folder = keepDir is null
            ? Path.Combine(Path.GetTempPath(), $"leaklab-demo-{Guid.NewGuid().ToString("N")[..12]}")
            : Path.GetFullPath(keepDir);
        try
        {
            PrivateFile.CreateDirectory(folder); // the dumps hold the sample's memory
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"cannot create the dump folder '{folder}': {ex.Message}; pick another --keep-dump folder.");
        }

        var dumps = new List<string>();
        try
        {
            progress.Phase($"starting the sample program ({scenario}{(fixedVariant ? ", fixed" : "")}, {rate.ToString(CultureInfo.InvariantCulture)} items/s)");
            var start = new SampleStartInfo(dll, scenario)
            {
                Arguments = [.. fixedVariant ? ["--fixed"] : Array.Empty<string>(), "--rate", rate.ToString(CultureInfo.InvariantCulture)],
                WorkingDirectory = folder,
            };
            using (SampleProcess sample = SampleProcess.StartAsync(start, cancel).GetAwaiter().GetResult())
            {
                progress.Done($"sample '{scenario}' is running as pid {sample.Pid}");

                string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                for (int i = 1; i <= SnapshotCount; i++)
                {
                    progress.Phase($"letting it run for {interval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
                    Task.Delay(interval, cancel).GetAwaiter().GetResult();
                    progress.Done($"ran until dump {i}");

                    string path = Path.Combine(folder, $"{scenario}-{stamp}-{i}.dmp");
                    progress.Phase($"dump {i}/{SnapshotCount} of pid {sample.Pid}");
                    var written = DumpCapture.Write(sample.Pid, path, note: progress.Note);
                    // The file name only: the folder is named once, at the end, so each line fits a 100-column terminal.
                    progress.Done($"dump {i}/{SnapshotCount}: {Path.GetFileName(written.Path)} ({ByteSize.Format(written.Bytes)})");
                    dumps.Add(written.Path);
                }
                // Stop it before the analysis: on a small machine the leaking program would compete for the CPU.
                sample.Stop();
                progress.Note("stopped the sample program");
            }

            InspectionSnapshot[] snapshots = [.. dumps.Select(d => InspectCommand.Load(context, HeapFiles.Check(d), dac))];
            InspectionReport findings = InspectCommand.Inspect(context, snapshots);
            HeapAnalysis[] analyses = [.. snapshots.Select(s => s.Analysis)];
            SnapshotComparison comparison = DiffCommand.Compare(context, analyses, new DiffOptions()).Comparison;
            WriteReport(context, fixedVariant ? $"{scenario} --fixed" : scenario, interval, findings, comparison, analyses[^1], dumps, keepDir is not null);
        }
        finally
        {
            if (keepDir is null)
                DeleteQuietly(folder);
        }
        progress.Note($"demo finished in {ProgressLine.Seconds(clock.Elapsed)}");
        return CliApp.Success;
    }

    private static void WriteReport(CliContext context, string scenario, TimeSpan interval, InspectionReport findings, SnapshotComparison comparison,
        HeapAnalysis last, IReadOnlyList<string> dumps, bool kept)
    {
        TextWriter o = context.Out;
        o.WriteLine($"LeakLab demo: scenario '{scenario}', {dumps.Count} snapshots taken {interval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s apart.");
        o.WriteLine();
        WriteFindings(o, findings, context.TextOptions);
        o.WriteLine();
        o.Write(TextReport.Suspect(comparison, context.TextOptions));

        TypeTrend[] growing = [.. comparison.Types.Where(t => t.Growing).OrderByDescending(t => t.Score)];
        if (growing.Length > 0)
        {
            TypeTrend top = Lead(growing);
            context.Progress.Phase($"finding retention paths to {top.Type}");
            IReadOnlyList<RetentionPath> paths = last.Paths.PathsToType(top.Type, 3, context.Cancellation);
            context.Progress.Done($"found {paths.Count} path shape{(paths.Count == 1 ? "" : "s")}");
            o.WriteLine();
            o.WriteLine($"Why {context.TextOptions.TypeName(top.Type)} objects stay alive (shortest paths from the roots, last snapshot):");
            o.Write(TextReport.Paths(paths, context.TextOptions));

            o.WriteLine();
            o.WriteLine("Types that grew steadily:");
            TextTable table = context.TextOptions.Table(new("Count per snapshot", ColumnKind.Number), new("ΔCount", ColumnKind.Delta),
                new("ΔBytes", ColumnKind.BytesDelta), new("ΔRetained", ColumnKind.BytesDelta), new("Score", ColumnKind.Number), new("Type", ColumnKind.TypeName));
            foreach (TypeTrend t in growing.Take(10))
                table.AddRow(string.Join(" → ", t.Counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))),
                    t.Counts[^1] - t.Counts[0], t.Bytes[^1] - t.Bytes[0], t.Retained[^1] - t.Retained[0], t.Score, t.Type);
            o.Write(table.Render());
            if (growing.Length > 10)
                o.WriteLine($"... {growing.Length - 10} more growing types ('leaklab diff' shows them all)");
        }
        else
        {
            o.WriteLine();
            // Only types whose bytes changed: a row with ΔBytes 0 contrasts with nothing.
            TypeTrend[] changed = [.. comparison.Types.Where(t => t.Bytes[^1] != t.Bytes[0]).OrderByDescending(t => Math.Abs(t.Bytes[^1] - t.Bytes[0])).Take(5)];
            if (changed.Length == 0)
            {
                o.WriteLine("No type grew steadily across the snapshots, and no type's bytes changed from the first to the last.");
            }
            else
            {
                o.WriteLine("No type grew steadily across the snapshots. The largest changes, for contrast (churn, not a leak):");
                TextTable table = context.TextOptions.Table(new("Count per snapshot", ColumnKind.Number), new("ΔBytes", ColumnKind.BytesDelta),
                    new("Score", ColumnKind.Number), new("Type", ColumnKind.TypeName));
                foreach (TypeTrend t in changed)
                    table.AddRow(string.Join(" → ", t.Counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))), t.Bytes[^1] - t.Bytes[0], t.Score, t.Type);
                o.Write(table.Render());
            }
        }

        o.WriteLine();
        if (kept)
        {
            o.WriteLine("Dumps (kept):");
            foreach (string d in dumps)
                o.WriteLine($"  {d}");
            // The folder and a wildcard, not three full paths: the line fits the terminal, and diff orders by capture time.
            o.WriteLine($"Explore them: leaklab diff {Quote(Path.Combine(Path.GetDirectoryName(dumps[0])!, "*.dmp"))}");
        }
        else
        {
            o.WriteLine($"Dumps: {dumps.Count} files in {Path.GetDirectoryName(dumps[0])}, deleted (--keep-dump DIR keeps them).");
        }
    }

    /// <summary>The inspections' verdict first: the leading finding in full, the others by title.</summary>
    private static void WriteFindings(TextWriter o, InspectionReport report, TextReportOptions options)
    {
        if (report.Findings.Count == 0)
        {
            o.WriteLine($"Inspections: no leak found ({Inspector.Inspections.Count} inspections over {report.Snapshots.Count} snapshots).");
            return;
        }
        Finding lead = report.Findings[0];
        o.Write(TextReport.Finding(lead, options, "Finding: "));
        foreach (Finding other in report.Findings.Skip(1))
            o.Write(options.Wrap(TextTable.Printable($"Also: [{other.Scenario}] {other.Title}  (score {other.Score.ToString("0.00", CultureInfo.InvariantCulture)})")));
        o.WriteLine("('leaklab inspect' on the dumps prints every finding in full.)");
    }

    /// <summary>
    /// The growing type whose paths the demo draws: the best-scored one, except that among near-equal scores the
    /// program's own type wins over a framework type (the leaked entry tells more than the byte[] it holds).
    /// </summary>
    private static TypeTrend Lead(TypeTrend[] growing)
    {
        double best = growing[0].Score;
        return growing.Where(t => t.Score >= best - 0.02).FirstOrDefault(t => !IsFrameworkType(t.Type)) ?? growing[0];
    }

    private static bool IsFrameworkType(string type) =>
        type.StartsWith("System.", StringComparison.Ordinal) || type.StartsWith("Microsoft.", StringComparison.Ordinal);

    /// <summary>The path for a shell: a trailing "*.dmp" stays outside the quotes, so the shell still expands it.</summary>
    private static string Quote(string path)
    {
        if (!path.Contains(' '))
            return path;
        string wildcard = path.EndsWith("/*.dmp", StringComparison.Ordinal) ? "/*.dmp" : "";
        return $"\"{path[..^wildcard.Length]}\"{wildcard}";
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
