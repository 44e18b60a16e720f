using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Engine.Samples;

/// <summary>How to start a <see cref="SampleProcess"/>.</summary>
/// <param name="DllPath">The program: LeakLab.Sample.dll, a renamed copy, or another program printing the READY line.</param>
/// <param name="Scenario">Its first argument (a scenario such as <c>static-cache</c>).</param>
public sealed record SampleStartInfo(string DllPath, string Scenario)
{
    /// <summary>Arguments after the scenario (<c>--rate 500</c>, <c>--fixed</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Its working directory (also where relative dump paths land); default: this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Programs and arguments to run the dotnet host through (<c>setpriv --reuid=...</c>); the wrapper must exec it, so the pid stays the sample's.</summary>
    public IReadOnlyList<string> Wrapper { get; init; } = [];

    /// <summary>How long to wait for the READY line (30 s: a cold start on a busy 2-core machine takes several seconds).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal ProcessStartInfo ToProcessStartInfo()
    {
        string host = DotNetHost.Path();
        var psi = new ProcessStartInfo(Wrapper.Count > 0 ? Wrapper[0] : host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (WorkingDirectory is not null)
            psi.WorkingDirectory = WorkingDirectory;
        if (Wrapper.Count > 0)
        {
            foreach (string a in Wrapper.Skip(1))
                psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(host);
        }
        psi.ArgumentList.Add(DllPath);
        psi.ArgumentList.Add(Scenario);
        foreach (string a in Arguments)
            psi.ArgumentList.Add(a);
        // If the host is killed outright (no ProcessExit), the sample notices its parent is gone and exits.
        if (!Arguments.Contains("--parent-pid"))
        {
            psi.ArgumentList.Add("--parent-pid");
            psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        return psi;
    }
}
