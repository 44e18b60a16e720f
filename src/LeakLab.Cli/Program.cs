using System.Runtime.InteropServices;

// Ctrl+C and SIGTERM cancel the running command instead of killing the process at once, so commands that started
// something (the demo's sample program) get to run their finally blocks. A second Ctrl+C ends the process.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested)
        return;
    e.Cancel = true;
    cancel.Cancel();
};
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

int exitCode = CliApp.Run(args, Console.Out, Console.Error, cancel.Token);
// Exit now rather than return: a notebook cell that ignored cancellation (while (true) {}, or a foreground thread it
// started) would otherwise keep the process alive after `leaklab run` wrote its report. Exit hooks still run.
Console.Out.Flush();
Console.Error.Flush();
Environment.Exit(exitCode);
