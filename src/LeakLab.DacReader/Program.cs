using System.Runtime.CompilerServices;

namespace LeakLab.DacReader;

/// <summary>
/// <c>dotnet LeakLab.DacReader.dll VERB ARG DEADLINE-SECONDS</c>; prints its answer on stdout, one record a line, then
/// <see cref="Reads.End"/> (an answer without it is incomplete: the reader was killed or failed). Verbs:
/// <c>statics PID</c>, <c>ranges PID</c>, <c>canwalk DUMP</c> (see <see cref="Reads"/>). Exit code 0 on an answer,
/// 2 on bad arguments, 3 when the reader hit its own deadline.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 3 || !double.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
        {
            Console.Error.WriteLine("usage: dotnet LeakLab.DacReader.dll statics|ranges PID|canwalk DUMP DEADLINE-SECONDS (run by LeakLab itself)");
            return 2;
        }
        // The parent kills us at its deadline; this is for a parent that died first: no reader outlives its deadline.
        _ = new Timer(_ => Environment.Exit(3), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        ProbeFolders.Install(Environment.GetEnvironmentVariable(ProbeFolders.Variable));
        return Run(args[0], args[1]);
    }

    // Separate, so ClrMD's types are resolved only after ProbeFolders is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(string verb, string argument)
    {
        TextWriter output = Console.Out;
        switch (verb)
        {
            case "statics" when int.TryParse(argument, out int pid):
                Reads.Statics(pid, output);
                break;
            case "ranges" when int.TryParse(argument, out int pid):
                Reads.Ranges(pid, output);
                break;
            case "canwalk":
                Reads.CanWalk(argument, output);
                break;
            default:
                Console.Error.WriteLine($"unknown verb or bad argument: {verb} {argument}");
                return 2;
        }
        output.WriteLine(Reads.End);
        output.Flush();
        return 0;
    }
}
