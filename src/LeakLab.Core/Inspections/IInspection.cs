namespace LeakLab.Core.Inspections;

/// <summary>One inspection: recognises one scenario from runtime structures and the shape of the evidence.</summary>
internal interface IInspection
{
    /// <summary>The scenario id it recognises, e.g. "S05".</summary>
    string Scenario { get; }
    /// <summary>Short name, e.g. "timers".</summary>
    string Name { get; }
    /// <summary>Adds findings (and notes when it cannot decide) to the context.</summary>
    void Run(InspectionContext context);
}
