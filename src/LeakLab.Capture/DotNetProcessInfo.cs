namespace LeakLab.Capture;

/// <summary>A running .NET process, as <see cref="DotNetProcesses.List"/> finds it.</summary>
/// <param name="Pid">Process id.</param>
/// <param name="Name">
/// The application's name: for <c>dotnet app.dll</c> the dll's name without extension (e.g. <c>LeakLab.Sample</c>),
/// otherwise the executable's name (/proc/&lt;pid&gt;/comm, completed from the command line when the kernel truncated it).
/// </param>
/// <param name="CommandLine">The full command line, arguments separated by single spaces.</param>
/// <param name="StartTime">When the process started, if /proc says.</param>
public sealed record DotNetProcessInfo(int Pid, string Name, string CommandLine, DateTimeOffset? StartTime);
