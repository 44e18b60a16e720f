namespace LeakLab.Sample;

/// <summary>
/// One leak scenario of shared/scenarios.md. Adding a scenario = one file under Scenarios/ plus one line in
/// <see cref="ScenarioRegistry"/>. The runner calls <see cref="Setup"/> once, prints the READY line, then calls
/// <see cref="Step"/> <c>--rate</c> times per second until killed.
/// </summary>
public interface IScenario
{
    /// <summary>Command-line name, e.g. <c>static-cache</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text: the scenario id and what leaks.</summary>
    string Description { get; }

    /// <summary>Prepares the scenario before READY (e.g. fills a bounded cache so it does not look like growth later).</summary>
    void Setup(SampleOptions options) { }

    /// <summary>Leaks one item (or, for the control scenario, churns one item without keeping it).</summary>
    void Step();
}
