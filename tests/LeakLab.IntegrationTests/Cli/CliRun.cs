using System.Diagnostics;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>What one run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>stderr with wrapped lines joined back (a line break followed by indentation is one space), for phrases.</summary>
    public string StderrJoined => System.Text.RegularExpressions.Regex.Replace(Stderr, @"\n +", " ");

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs <c>leaklab</c> in-process through <see cref="CliApp.Run(string[], TextWriter, TextWriter)"/>, or as a real process.</summary>
public static class CliRun
{
    public static CliResult InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Full path of leaklab.dll, copied beside the tests by the project reference.</summary>
    public static string LeakLabDll => Path.Combine(AppContext.BaseDirectory, "leaklab.dll");

    /// <summary><c>dotnet leaklab.dll args...</c> as a child process, killed if it runs longer than <paramref name="timeout"/>.</summary>
    public static Task<CliResult> AsProcessAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(SampleProcess.DotNetHostPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(LeakLabDll);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        return RunAsync(psi, timeout, $"leaklab {string.Join(' ', args)}");
    }

    /// <summary>Runs a child process to its end (killed after <paramref name="timeout"/>) and returns what it printed.</summary>
    internal static async Task<CliResult> RunAsync(ProcessStartInfo psi, TimeSpan timeout, string what)
    {
        using Process process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        ChildProcessGuard.Register(process);
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds:0} s");
            }
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            ChildProcessGuard.Unregister(process);
        }
    }

    /// <summary>
    /// The contract for every failure: non-zero exit, one error message on stderr starting "leaklab: error:", no stack
    /// trace; a long message wraps to lines of at most 100 columns, the later ones indented (<paramref name="contains"/>
    /// is looked for in the message joined back into one line).
    /// </summary>
    public static void AssertOneLineError(CliResult result, int? exitCode = null, string? contains = null)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        if (exitCode is int code)
            Assert.True(code == result.ExitCode, $"expected exit {code}\n{result}");
        // Untrimmed: a wrapped message's later lines are told apart by their indent.
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(lines.Length >= 1, $"expected an error on stderr\n{result}");
        Assert.StartsWith("leaklab: error: ", lines[0]);
        Assert.True(lines.Skip(1).All(l => l.StartsWith("  ", StringComparison.Ordinal)), $"expected one error message\n{result}");
        Assert.True(lines.All(l => l.Length <= 100 || !l.Trim().Contains(' ')), $"an error line is wider than 100 columns\n{result}");
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout);
        if (contains is not null)
            Assert.Contains(contains, ErrorMessage(result), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The error message on stderr joined back into one line (it wraps at 100 columns).</summary>
    public static string ErrorMessage(CliResult result) => string.Join(' ', result.StderrLines.Select(l => l.Trim()));
}
