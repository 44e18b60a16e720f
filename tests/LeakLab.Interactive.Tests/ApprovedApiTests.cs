using LeakLab.Tests.Api;

namespace LeakLab.Interactive.Tests;

/// <summary>LeakLab.Interactive's public API, locked like the libraries' in LeakLab.Tests (this project holds the kernel it compiles against).</summary>
public class ApprovedApiTests
{
    [Fact]
    public void Public_api_is_the_approved_one() => ApprovedApi.Verify(typeof(LeakLabKernelExtension).Assembly);
}
