using System.CommandLine;
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
            stderr.WriteLine($"leaklab: error: {UsageErrors.Describe(parsed)}");
            return UsageError;
        }

        try
        {
            context.UseLayout(parsed.GetValue(width), parsed.GetValue(fullNames));
            var configuration = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Errors are ours to print (one line, no stack), and Ctrl+C is handled by Program.cs through the token.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return parsed.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return ReportError(Unwrap(ex), context, cancellationToken);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

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
                stderr.WriteLine($"leaklab: error: {MessageText.OneLine(ex.Message)} {UsageErrors.HelpHint(context.CommandPath)}");
                return UsageError;
            case LeakLabException:
                stderr.WriteLine($"leaklab: error: {MessageText.OneLine(ex.Message)}");
                if (context.Verbose)
                    stderr.WriteLine(ex.ToString());
                return Failure;
            default:
                if (context.Verbose)
                {
                    stderr.WriteLine($"leaklab: error: {ex.GetType().Name}: {MessageText.OneLine(ex.Message)}");
                    stderr.WriteLine(ex.ToString());
                }
                else
                {
                    stderr.WriteLine($"leaklab: error: {ex.GetType().Name}: {MessageText.OneLine(ex.Message)} (rerun with --verbose for details)");
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
}
