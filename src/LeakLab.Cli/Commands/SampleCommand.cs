using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab sample start [SCENARIO] [--rate N] [--ballast N]</c>: starts the bundled leaky sample in the background and
/// prints its pid, so the README's commands can be tried at once on a process that really leaks.
/// </summary>
/// <remarks>
/// stdout is the pid alone (<c>PID=$(leaklab sample start)</c>); what to try next and how to stop it go to stderr. The
/// sample outlives leaklab on purpose (no <c>--parent-pid</c>); its output goes to a log file, never to a pipe that
/// closes when leaklab exits (createdump writes to the target's stdout).
/// </remarks>
internal static class SampleCommand
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliContext context)
    {
        string[] names = [.. LeakLab.Sample.ScenarioRegistry.Create().Select(s => s.Name)];
        Argument<string> scenario = new("SCENARIO")
        {
            // A help name, or the usage would list every scenario as one 200-column word.
            HelpName = "SCENARIO",
            Description = "Which leak to run: " + string.Join(", ", names) + ".",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => names[0],
        };
        scenario.AcceptOnlyFromAmong(names);
        Option<double> rate = new("--rate") { Description = "Items leaked per second.", HelpName = "N", DefaultValueFactory = _ => 200 };
        Option<long> ballast = new("--ballast")
        {
            Description = "Extra small live objects allocated at start, for a big heap (e.g. 3000000 for bench).",
            HelpName = "N",
        };

        Option<bool> fixedVariant = new("--fixed") { Description = "Run the scenario's fixed variant: the same work with the bug corrected, no leak." };

        var start = new Command("start", "Start the sample leaky program in the background and print its pid (stop it with kill PID).")
        {
            scenario, rate, ballast, fixedVariant,
        };
        start.SetAction(parse =>
        {
            double leakRate = parse.GetValue(rate);
            if (!(leakRate is >= 0 and <= 1_000_000))
                throw new UsageException($"--rate must be between 0 and 1000000, got {leakRate}");
            long extra = parse.GetValue(ballast);
            if (extra is < 0 or > 500_000_000)
                throw new UsageException($"--ballast must be between 0 and 500000000, got {extra}");
            return Start(context, parse.GetValue(scenario) ?? names[0], leakRate, extra, parse.GetValue(fixedVariant));
        });

        return new Command("sample", "The bundled leaky sample program, as a target to practise on.") { start };
    }

    private static int Start(CliContext context, string scenario, double rate, long ballast, bool fixedVariant)
    {
        string dll = SampleLocator.Find(context.Progress, context.Cancellation);
        string log = Path.Combine(Path.GetTempPath(), $"leaklab-sample-{scenario}-{Guid.NewGuid():N}.log");
        PrivateFile.Create(log).Dispose();

        // sh redirects the sample's output to the log and then becomes the sample (exec keeps the pid).
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (string arg in new[] { "-c", "exec \"$@\" >>\"$LEAKLAB_SAMPLE_LOG\" 2>&1 </dev/null", "sh", DotNetHost.Path(), dll, scenario,
                     "--rate", rate.ToString(CultureInfo.InvariantCulture), "--ballast", ballast.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        if (fixedVariant)
            psi.ArgumentList.Add("--fixed");
        psi.Environment["LEAKLAB_SAMPLE_LOG"] = log;

        context.Progress.Phase($"starting the sample program ({scenario})");
        using Process process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, "could not start /bin/sh to run the sample program");
        var clock = Stopwatch.StartNew();
        while (!ReadLog(log).Contains("LEAKLAB-READY ", StringComparison.Ordinal))
        {
            if (process.HasExited)
                throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program exited (code {process.ExitCode}) before it was ready: {MessageText.OneLine(ReadLog(log))}");
            if (clock.Elapsed > s_readyTimeout || context.Cancellation.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                context.Cancellation.ThrowIfCancellationRequested();
                throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program was not ready within {s_readyTimeout.TotalSeconds:0} s; its output: {MessageText.OneLine(ReadLog(log))}");
            }
            Thread.Sleep(50);
        }
        context.Progress.Done($"sample '{scenario}'{(fixedVariant ? " --fixed" : "")} is running as pid {process.Id}: {Doing(scenario, fixedVariant, rate)}");

        context.Out.WriteLine(process.Id.ToString(CultureInfo.InvariantCulture));
        context.Error.WriteLine($"Try:  leaklab dump --pid {process.Id} -o a.dmp   (then b.dmp and c.dmp a few seconds apart)");
        context.Error.WriteLine("      leaklab diff a.dmp b.dmp c.dmp");
        context.Error.WriteLine($"Stop: kill {process.Id}");
        context.Error.WriteLine($"Log:  {log}");
        return CliApp.Success;
    }

    /// <summary>What the started sample does, in the words of its variant: only a leaking scenario "leaks".</summary>
    private static string Doing(string scenario, bool fixedVariant, double rate)
    {
        string perSecond = rate.ToString(CultureInfo.InvariantCulture) + " items/s";
        if (scenario == "control")
            return $"no leak (a bounded cache, {perSecond})";
        if (fixedVariant)
            return $"the fixed variant, no leak ({perSecond})";
        return rate == 0 ? "not leaking yet (--rate 0)" : $"leaking {perSecond}";
    }

    private static string ReadLog(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
