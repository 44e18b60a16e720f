using System.Diagnostics;

namespace LeakLab.IntegrationTests;

/// <summary>
/// Kills every child process a test started that is still alive when the test host exits, so a crashed or
/// aborted run leaves no leaking sample programs behind. Tests also kill their children on dispose; this is the backstop
/// (the engine's, which also guards the samples <see cref="SampleProcess"/> starts).
/// </summary>
public static class ChildProcessGuard
{
    public static void Register(Process process) => Engine.Samples.ChildProcessGuard.Register(process);

    public static void Unregister(Process process) => Engine.Samples.ChildProcessGuard.Unregister(process);
}
