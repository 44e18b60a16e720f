using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Runner.Execution;

/// <summary>
/// Asks the kernel, after the last cell, which processes and files the notebook's LeakLab session investigated, for
/// the report's "target" line. The probe runs in the kernel because that is where the notebook loaded LeakLab (its
/// own package version); a notebook that never loaded LeakLab makes the probe fail to compile, which means "none".
/// </summary>
internal static class TargetProbe
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    // One line per target: samples by scenario and pid, processes dumped or snapshotted by name and pid, files loaded.
    private const string Code = """
        ((System.Func<string>)(() =>
        {
            var lab = global::LeakLab.Notebooks.Session.Lab.Current;
            var byPid = new System.Collections.Generic.SortedDictionary<int, string>();
            foreach (var s in lab.Snapshots)
                if (s.Info.ProcessId is int pid)
                    byPid[pid] = (s.Info.ProcessName ?? "process") + " (pid " + pid + ")";
            foreach (var s in lab.Samples)
                byPid[s.Pid] = "LeakLab.Sample " + s.Scenario + " (pid " + s.Pid + ")";
            var files = System.Linq.Enumerable.Select(System.Linq.Enumerable.Where(lab.Snapshots, s => s.Info.ProcessId is null), s => s.Info.Label);
            return string.Join("\n", System.Linq.Enumerable.Concat(byPid.Values, files));
        }))()
        """;

    /// <summary>The targets, one description each; empty when LeakLab was not loaded or investigated nothing.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(CompositeKernel kernel)
    {
        try
        {
            using var cts = new CancellationTokenSource(s_limit);
            Task<KernelCommandResult> send = kernel.SendAsync(new SubmitCode(Code, NotebookKernel.CSharp), CancellationToken.None);
            if (await Task.WhenAny(send, Task.Delay(s_limit, cts.Token)) != send)
                return [];
            string? text = (await send).Events.OfType<ReturnValueProduced>().Select(e => e.Value as string).FirstOrDefault();
            return text is null ? [] : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return []; // the report is still written; the target line is a convenience
        }
    }
}
