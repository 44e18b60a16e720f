using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;

namespace LeakLab.Cli;

/// <summary>
/// The <c>leaklab</c> command line as a library call, so tests and hosts run it in-process with their own writers.
/// </summary>
/// <remarks>
/// Exit codes: 0 success, 1 a failure the user can act on (bad file, dead process) or an unexpected error,
/// 2 a usage error (unknown command or option, bad option value), 130 cancelled. Errors are one line on stderr,
/// <c>leaklab: error: ...</c>; a stack trace is printed only with <c>--verbose</c>.
/// </remarks>
public static class CliApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, CancellationToken.None);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var context = new CliContext(stdout, stderr, cancellationToken);
        Option<bool> verbose = CommonOptions.Verbose();
        Option<int?> width = CommonOptions.Width();
        Option<bool> fullNames = CommonOptions.FullNames();
        RootCommand root = BuildCommands(context, verbose, width, fullNames);
        ParseResult parsed = root.Parse(args);
        context.Verbose = parsed.GetValue(verbose);
        context.CommandPath = UsageErrors.CommandPath(parsed.CommandResult);

        if (parsed.Errors.Count > 0)
        {
            WriteError(stderr, UsageErrors.Describe(parsed));
            return UsageError;
        }

        try
        {
            context.UseLayout(parsed.GetValue(width), parsed.GetValue(fullNames));
            context.FitOutput = !WritesData(parsed);
            // Help is written whole and then fitted to the width (System.CommandLine leaves piped help unwrapped).
            StringWriter? help = parsed.Action is HelpAction ? new StringWriter() : null;
            var configuration = new InvocationConfiguration
            {
                Output = help ?? context.Out,
                Error = context.Error,
                // Errors are ours to print (one line, no stack), and Ctrl+C is handled by Program.cs through the token.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            int exit = parsed.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
            if (help is not null)
                context.Out.Write(HelpText.Fit(help.ToString(), context.TextOptions.MaxWidth));
            return exit;
        }
        catch (Exception ex)
        {
            return ReportError(Unwrap(ex), context, cancellationToken);
        }
        finally
        {
            context.Out.Flush();
            context.Error.Flush();
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>JSON output (<c>--json</c>, <c>inspect --tables</c>), never wrapped: a line break would corrupt its strings.</summary>
    private static bool WritesData(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.OfType<Option<bool>>().Any(o => o.Name is "--json" or "--tables" && parsed.GetValue(o));

    private static RootCommand BuildCommands(CliContext context, Option<bool> verbose, Option<int?> width, Option<bool> fullNames)
    {
        var root = new RootCommand("LeakLab: find memory leaks in .NET processes. Start with 'leaklab demo'.");
        root.Options.Add(verbose);
        root.Options.Add(width);
        root.Options.Add(fullNames);
        root.Subcommands.Add(PsCommand.Create(context));
        root.Subcommands.Add(DumpCommand.Create(context));
        root.Subcommands.Add(SnapshotCommand.Create(context));
        root.Subcommands.Add(StatsCommand.Create(context));
        root.Subcommands.Add(PathsCommand.Create(context));
        root.Subcommands.Add(RootsCommand.Create(context));
        root.Subcommands.Add(RetainedCommand.Create(context));
        root.Subcommands.Add(DiffCommand.Create(context));
        root.Subcommands.Add(InspectCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(SampleCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(WatchCommand.Create(context));
        return root;
    }

    private static int ReportError(Exception ex, CliContext context, CancellationToken cancellationToken)
    {
        context.Progress.Abandon();
        TextWriter stderr = context.Error;
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                stderr.WriteLine("leaklab: cancelled");
                return Cancelled;
            case UsageException:
                WriteError(stderr, $"{MessageText.OneLine(ex.Message)} {UsageErrors.HelpHint(context.CommandPath)}");
                return UsageError;
            case OutOfMemoryException:
                // Never wrapped as a bad input: the machine ran out, not the file. One line, and what to do.
                stderr.WriteLine("leaklab: error: out of memory; close other programs, or analyse the file on a machine with more memory");
                if (context.Verbose)
                    stderr.WriteLine(ex.ToString());
                return Failure;
            case LeakLabException when ListLines(ex.Message) is [var first, .. var items]:
                // A message with a list (processes to pick from): its first line, then one line per item.
                WriteError(stderr, first);
                foreach (string item in items)
                    stderr.Write(TextReportOptions.Wrap(item, ErrorWidthOf(stderr), "  ", "  "));
                if (context.Verbose)
                    stderr.WriteLine(ex.ToString());
                return Failure;
            case LeakLabException:
                WriteError(stderr, MessageText.OneLine(ex.Message));
                if (context.Verbose)
                    stderr.WriteLine(ex.ToString());
                return Failure;
            default:
                if (context.Verbose)
                {
                    WriteError(stderr, $"{ex.GetType().Name}: {MessageText.OneLine(ex.Message)}");
                    stderr.WriteLine(ex.ToString());
                }
                else
                {
                    WriteError(stderr, $"{ex.GetType().Name}: {MessageText.OneLine(ex.Message)} (rerun with --verbose for details)");
                }
                return Failure;
        }
    }

    private static Exception Unwrap(Exception ex)
    {
        while (true)
        {
            switch (ex)
            {
                case AggregateException { InnerExceptions.Count: 1 } agg:
                    ex = agg.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    ex = inner;
                    continue;
                default:
                    return ex;
            }
        }
    }

    /// <summary>The widest an error line gets: a terminal narrower than this, or 100 columns (a usual terminal) when piped.</summary>
    private const int ErrorWidth = 100;

    /// <summary>
    /// "leaklab: error: MESSAGE", broken at spaces to fit <see cref="ErrorWidth"/> (or a narrower terminal), later
    /// lines indented two spaces: one message, readable without scrolling sideways. A word longer than the width (a
    /// long path) keeps its own line whole.
    /// </summary>
    internal static void WriteError(TextWriter stderr, string message) =>
        stderr.Write(TextReportOptions.Wrap($"leaklab: error: {CliQuotes.Apply(message)}", ErrorWidthOf(stderr), "", "  "));

    /// <summary>
    /// A message whose later lines are all indented two spaces is a sentence and a list LeakLab built on purpose: its
    /// lines, unindented. Anything else (a message from another tool) is empty, to be joined into one line.
    /// </summary>
    private static string[] ListLines(string message)
    {
        string[] lines = message.Split('\n');
        return lines.Length > 1 && lines.Skip(1).All(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Trim().Length > 0)
            ? [.. lines.Select(l => l.Trim())]
            : [];
    }

    private static int ErrorWidthOf(TextWriter stderr)
    {
        int width = ErrorWidth;
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
        {
            try
            {
                width = Math.Clamp(Console.WindowWidth, 40, ErrorWidth);
            }
            catch (IOException)
            {
                // no terminal after all: the default width
            }
        }
        // Wrapped once, at the narrower width: a message wrapped at 100 and then fitted again to a narrower --width or
        // terminal breaks its first line a second time and leaves a ragged short line between.
        if (stderr is FittingWriter fitting)
            width = Math.Min(width, Math.Max(fitting.Width, 40));
        return width;
    }
}
