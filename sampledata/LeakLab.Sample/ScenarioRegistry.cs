namespace LeakLab.Sample;

/// <summary>Every scenario the sample program can run, by command-line name.</summary>
public static class ScenarioRegistry
{
    public static IReadOnlyList<IScenario> Create() =>
    [
        new StaticCacheScenario(),
        new EventHandlersScenario(),
        new ControlScenario(),
    ];
}
