using System.Reflection;
using LeakLab.Testing;

namespace LeakLab.Tests.Api;

/// <summary>
/// The public API of every shipped library, locked: a change fails here until its approved file is updated (the
/// failure says how). LeakLab.Interactive's is checked in LeakLab.Interactive.Tests, which holds the kernel it compiles against.
/// </summary>
public class ApprovedApiTests
{
    public static TheoryData<string> Assemblies() =>
    [
        typeof(HeapGraph).Assembly.GetName().Name!,                   // LeakLab.Core
        typeof(DumpCapture).Assembly.GetName().Name!,                 // LeakLab.Capture
        typeof(LeakLab.Dumps.DumpLoader).Assembly.GetName().Name!,    // LeakLab.Dumps
        typeof(StatsVerb).Assembly.GetName().Name!,                   // LeakLab.Engine
        typeof(TextReport).Assembly.GetName().Name!,                  // LeakLab.Presentation
        typeof(LeakDatabase).Assembly.GetName().Name!,                // LeakLab.Query
        typeof(Lab).Assembly.GetName().Name!,                         // LeakLab.Notebooks
        typeof(LeakAssert).Assembly.GetName().Name!,                  // LeakLab.Testing
    ];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Public_api_is_the_approved_one(string assembly) => ApprovedApi.Verify(Assembly.Load(assembly));
}
