using LeakLab.Engine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab bench scale</c>: for each size, a heap of that many objects from LeakLab.HeapGen (many types, shared
/// subgraphs, chains, trees, a growing static cache), three dumps of it, then LeakLab's commands on them as child
/// processes, first open (walks the dump, writes the index) and later opens (the mapped index), side by side with
/// dotnet-dump (<c>dumpheap -stat</c>, <c>gcroot</c>) on the same dump. Prints wall and CPU seconds and peak RSS per
/// command; the last stdout line is the summary
/// <c>reopen-paths/gcroot=R diff-bytes/object=N retained-bytes/object=N max-objects=M</c>.
/// </summary>
/// <remarks>
/// At the largest size: R = wall time of the second <c>paths --address</c> over gcroot's on the same object;
/// diff-bytes = peak RSS of the second diff of the three dumps over their objects; retained-bytes = peak RSS of the
/// first <c>retained</c> (which walks the dump) over the objects. Heaps over ~3M objects need an otherwise idle
/// machine (several GB at 20M); the dumps (about 45 bytes per object,
/// three per size) and their indexes go to a temp folder deleted after each size.
/// </remarks>
internal static partial class BenchScale
{
    public static readonly long[] DefaultSizes = [1_000_000, 5_000_000, 20_000_000];
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(20);

    private sealed record Figures(double Wall, double Cpu, long PeakRss, string Stdout, string Stderr, int ExitCode);

    public static int Run(CliContext context, IReadOnlyList<long> sizes, string? dotnetDumpPath)
    {
        TextWriter log = context.Out;
        string dotnetDump = PeerTool.Find("dotnet-dump", dotnetDumpPath, "--dotnet-dump");
        string generator = Path.Combine(AppContext.BaseDirectory, "LeakLab.HeapGen.dll");
        if (!File.Exists(generator))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"LeakLab.HeapGen.dll is not beside leaklab ({AppContext.BaseDirectory}); build src/LeakLab.Cli, which references it.");
        string leaklab = typeof(BenchScale).Assembly.Location;
        log.WriteLine($"scale benchmark: generator {generator}, peer {dotnetDump}");
        log.WriteLine($"{"objects",12} {"command",-22} {"wall-s",8} {"cpu-s",7} {"rss-MB",8} {"B/object",9}");

        string summary = "reopen-paths/gcroot=NA diff-bytes/object=NA retained-bytes/object=NA max-objects=0";
        bool allOk = true;
        foreach (long size in sizes)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            string folder = Directory.CreateTempSubdirectory("leaklab-scale-").FullName;
            try
            {
                string[] dumps = TakeDumps(context, generator, size, folder);
                var figures = new Dictionary<string, Figures>();
                long objects = 0;
                void Row(string name, Figures f)
                {
                    figures[name] = f;
                    allOk &= f.ExitCode == 0;
                    string perObject = objects > 0 ? (f.PeakRss / (double)objects).ToString("0", CultureInfo.InvariantCulture) : "-";
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{size,12:N0} {name,-22} {f.Wall,8:0.00} {f.Cpu,7:0.00} {f.PeakRss / 1048576.0,8:0} {perObject,9}{(f.ExitCode == 0 ? "" : $"  FAILED (exit {f.ExitCode}): {FirstLine(f.Stderr)}")}"));
                }
                string core = dumps[2];
                Figures Ll(params string[] args) => Measure(DotNetHost.Path(), [leaklab, .. args], context.Cancellation);
                Figures Peer(string command) => Measure(dotnetDump, ["analyze", core, "-c", command, "-c", "exit"], context.Cancellation);

                context.Progress.Phase($"commands on {size:N0} objects");
                Figures retainedFirst = Ll("retained", core);
                objects = Loaded(retainedFirst.Stderr).Sum();
                Row("retained (1st open)", retainedFirst);
                Row("dumpheap -stat", Peer("dumpheap -stat"));
                Row("stats", Ll("stats", core));
                Row("retained (2nd)", Ll("retained", core));
                // The first paths --type on the index computes and stores the path shapes; the next reads them.
                Row("paths --type (shapes)", Ll("paths", core, "--type", "ScaleCacheEntry"));
                Figures byType = Ll("paths", core, "--type", "ScaleCacheEntry");
                Row("paths --type (3rd)", byType);
                string address = AddressRegex().Match(byType.Stdout) is { Success: true } m ? m.Value : "0x0";
                Row("paths --address (2nd)", Ll("paths", core, "--address", address));
                Row("roots (2nd)", Ll("roots", core));
                Row("gcroot", Peer($"gcroot {address}"));
                // A first diff reads three dumps no command has indexed yet (the commands above indexed the last one).
                foreach (string dump in dumps)
                {
                    foreach (string index in IndexLocation.Candidates(Path.GetFullPath(dump)))
                        File.Delete(index);
                }
                Figures diffFirst = Ll("diff", dumps[0], dumps[1], dumps[2]);
                Row("diff of 3 (1st open)", diffFirst);
                Figures diff = Ll("diff", dumps[0], dumps[1], dumps[2]);
                Row("diff of 3 (2nd)", diff);
                // diff writes its indexes around the page cache: the next command reads them from the disk.
                Row("retained (after diff)", Ll("retained", core));
                long diffObjects = Loaded(diffFirst.Stderr).Sum();
                long diffPeak = Math.Max(diffFirst.PeakRss, diff.PeakRss);
                context.Progress.Done($"{size:N0} objects measured");

                double ratio = figures["paths --address (2nd)"].Wall / Math.Max(0.001, figures["gcroot"].Wall);
                summary = string.Create(CultureInfo.InvariantCulture,
                    $"reopen-paths/gcroot={ratio:0.00} diff-bytes/object={(diffObjects > 0 ? diffPeak / diffObjects : 0)} retained-bytes/object={(objects > 0 ? retainedFirst.PeakRss / objects : 0)} max-objects={objects}");
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size,12:N0} reopen: retained {figures["retained (2nd)"].PeakRss / Math.Max(1, objects)} B/object, paths --address {figures["paths --address (2nd)"].Cpu:0.00} s CPU vs gcroot {figures["gcroot"].Cpu:0.00} s"));
            }
            finally
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
            }
        }
        log.WriteLine(summary);
        return allOk ? CliApp.Success : 1;
    }

    /// <summary>Starts the generator, waits for READY, takes three dumps a second apart (its cache grows between), stops it.</summary>
    private static string[] TakeDumps(CliContext context, string generator, long size, string folder)
    {
        context.Progress.Phase($"generating {size:N0} objects");
        var psi = new ProcessStartInfo(DotNetHost.Path()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { generator, size.ToString(CultureInfo.InvariantCulture), "--rate", "200", "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        using Process gen = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, "could not start LeakLab.HeapGen");
        try
        {
            gen.ErrorDataReceived += (_, _) => { };
            gen.BeginErrorReadLine();
            Task<string?> ready = Task.Run(gen.StandardOutput.ReadLine);
            if (!ready.Wait(s_readyTimeout, context.Cancellation) || ready.Result?.StartsWith("LEAKLAB-READY ", StringComparison.Ordinal) != true)
                throw new LeakLabException(LeakLabErrorKind.Failed, $"LeakLab.HeapGen with {size:N0} objects was not ready within {s_readyTimeout.TotalMinutes:0} min");
            _ = Task.Run(() => gen.StandardOutput.ReadToEnd(), CancellationToken.None); // createdump logs there
            var dumps = new string[3];
            for (int k = 0; k < dumps.Length; k++)
            {
                context.Progress.Phase($"dump {k + 1} of 3 of {size:N0} objects");
                dumps[k] = Path.Combine(folder, $"core{k + 1}");
                DumpCapture.Write(gen.Id, dumps[k]);
                Thread.Sleep(1000);
            }
            return dumps;
        }
        finally
        {
            try { gen.Kill(entireProcessTree: true); gen.WaitForExit(10_000); }
            catch (InvalidOperationException) { }
        }
    }

    /// <summary>Runs one command, timed by /usr/bin/time when present (exact peak RSS), else sampled from /proc.</summary>
    private static Figures Measure(string program, string[] args, CancellationToken cancel)
    {
        const string time = "/usr/bin/time";
        string? timeFile = File.Exists(time) ? Path.GetTempFileName() : null;
        var psi = new ProcessStartInfo(timeFile is null ? program : time) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (timeFile is not null)
        {
            foreach (string a in new[] { "-f", "%e %U %S %M", "-o", timeFile, program })
                psi.ArgumentList.Add(a);
        }
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using Process p = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start {program}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(cancel);
        Task<string> stderr = p.StandardError.ReadToEndAsync(cancel);
        long peak = 0;
        double cpu = 0;
        while (!p.WaitForExit(20))
        {
            cancel.ThrowIfCancellationRequested();
            if (clock.Elapsed > s_commandTimeout)
            {
                p.Kill(entireProcessTree: true);
                break;
            }
            if (timeFile is null)
                (peak, cpu) = Sample(p.Id, peak, cpu);
        }
        p.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (timeFile is not null)
        {
            string[] parts = File.ReadAllText(timeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            File.Delete(timeFile);
            if (parts.Length >= 4 && parts[^4..].Select(s => double.TryParse(s, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray() is [var w, var u, var s, var kb] && !double.IsNaN(kb))
                (wall, cpu, peak) = (w, u + s, (long)kb * 1024);
        }
        return new Figures(wall, cpu, peak, stdout.Result, stderr.Result, p.ExitCode);
    }

    /// <summary>VmHWM (peak RSS) and utime + stime of a running process; the last values seen are kept when it is gone.</summary>
    private static (long Peak, double Cpu) Sample(int pid, long peak, double cpu)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
            }
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // USER_HZ
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return (peak, cpu);
    }

    /// <summary>The object counts of "loaded NAME: N objects" lines, one per file.</summary>
    private static IEnumerable<long> Loaded(string stderr) => LoadedRegex().Matches(stderr)
        .DistinctBy(m => m.Groups["name"].Value)
        .Select(m => long.Parse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";

    [GeneratedRegex(@"loaded (?<name>\S+): (?<n>[\d,]+) objects")]
    private static partial Regex LoadedRegex();

    [GeneratedRegex(@"0x[0-9a-f]{6,}")]
    private static partial Regex AddressRegex();
}
