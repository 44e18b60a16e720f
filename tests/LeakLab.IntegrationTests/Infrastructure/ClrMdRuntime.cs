using Microsoft.Diagnostics.Runtime;

namespace LeakLab.IntegrationTests;

/// <summary>
/// ClrMD's own runtime for oracle checks. ClrMD 4.2 reads a Linux runtime's version as 0.0 and then rejects every
/// DAC as mismatched, so the tests take the DAC beside the libcoreclr.so the dump names (the sample ran on this machine).
/// </summary>
internal static class ClrMdRuntime
{
    public static ClrRuntime Create(DataTarget target)
    {
        ClrInfo clr = target.ClrVersions[0];
        string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
        return File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
    }
}
