using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Runner.Execution;

/// <summary>How one cell ended.</summary>
internal enum CellEnd { Succeeded, Failed, TimedOut, Cancelled }

/// <summary>The end of one cell and its one-line error.</summary>
internal sealed record CellResult(CellEnd End, string? Error);

/// <summary>
/// Runs one code cell as a <c>SubmitCode</c> on the root kernel, as the Jupyter bridge does, and records every event
/// of that command and of the commands it spawned (magic commands, a package's extension.dib) as the cell's outputs.
/// </summary>
internal static class CellExecution
{
    // How long a cancelled cell's command gets to end before the run stops waiting for it.
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(3);

    public static async Task<CellResult> RunAsync(
        CompositeKernel kernel, InteractiveDocumentElement cell, int executionCount, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var outputs = new CellOutputs(cell.Outputs);
        var submit = new SubmitCode(cell.Contents, cell.KernelName);
        string token = $"leaklab-run-{executionCount}-{Guid.NewGuid():N}";
        submit.SetToken(token);

        // Events arrive on the kernel's threads; they are only stored here (printing from this callback would feed
        // the kernel's own console capture).
        var events = new List<KernelEvent>();
        using var subscription = kernel.KernelEvents.Subscribe(new EventObserver(e =>
        {
            string t = e.Command.GetOrCreateToken();
            if (t == token || t.StartsWith(token + ".", StringComparison.Ordinal))
                lock (events) events.Add(e);
        }));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
            stop.CancelAfter(limit);

        Task<KernelCommandResult> send = kernel.SendAsync(submit, CancellationToken.None);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Token.Register(() => stopped.TrySetResult()))
            await Task.WhenAny(send, stopped.Task);

        CellEnd end = CellEnd.Succeeded; // failures are read from the events below
        if (!send.IsCompleted)
        {
            end = cancellationToken.IsCancellationRequested ? CellEnd.Cancelled : CellEnd.TimedOut;
            // The kernel's Cancel ends the running command and cancels its token. Code that never awaits or checks
            // the token (while (true) {}) keeps running on the kernel's thread: the run stops waiting for it, and
            // the host decides whether to end the process.
            _ = kernel.SendAsync(new Cancel(), CancellationToken.None);
            await Task.WhenAny(send, Task.Delay(s_stopGrace, CancellationToken.None));
        }

        KernelEvent[] recorded;
        lock (events) recorded = [.. events];
        foreach (var e in recorded)
        {
            if (end is CellEnd.TimedOut or CellEnd.Cancelled && e is CommandFailed)
                continue; // the kernel's "cancelled" is replaced by the runner's own reason below
            outputs.Add(e, executionCount);
        }

        switch (end)
        {
            case CellEnd.TimedOut:
                outputs.Fail("CellTimeout", $"did not finish within {timeout!.Value.TotalSeconds:0.#} s (--cell-timeout); cancelled");
                break;
            case CellEnd.Cancelled:
                outputs.Fail("Cancelled", "the run was cancelled while this cell was running");
                break;
            default:
                if (outputs.FirstError is not null)
                    end = CellEnd.Failed;
                break;
        }
        return new CellResult(end, outputs.FirstError);
    }
}
