namespace LeakLab.Sample;

/// <summary>Every scenario the sample program can run, by command-line name.</summary>
public static class ScenarioRegistry
{
    public static IReadOnlyList<IScenario> Create() =>
    [
        new StaticCacheScenario(),
        new EventHandlersScenario(),
        new ControlScenario(),
        new CapturedClosureScenario(),
        new BlockedChannelScenario(),
        new TimerScenario(),
        new LinkedCtsScenario(),
        new BlockedWorkersScenario(),
        new NativeHandlesScenario(),
        new HandleRegistryScenario(),
        new PoolScenario(),
        new BlockedFinalizerScenario(),
        new UndisposedScenario(),
        new FailedReleaseScenario(),
        new AsyncLocalScenario(),
        new StackFrameScenario(),
    ];
}
