namespace LeakLab.Capture;

/// <summary>
/// Finds the <c>dotnet</c> host to run the sample program, builds and LeakLab's own child processes (<see cref="DacReaderProcess"/>)
/// with: the running host first, so the child gets the same runtime.
/// </summary>
internal static class DotNetHost
{
    public static string Path()
    {
        // Run through "dotnet leaklab.dll": use that very host, so the sample gets the same runtime.
        string? self = Environment.ProcessPath;
        if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        // The SDK sets DOTNET_HOST_PATH for tools and test hosts it starts.
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            return fromSdk;
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root))
        {
            string candidate = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
                return candidate;
        }
        // The install this runtime came from (<root>/shared/Microsoft.NETCore.App/<version>/): a notebook kernel runs from
        // its own apphost and may not have dotnet on PATH.
        string runtimeRoot = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string installed = System.IO.Path.Combine(runtimeRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (File.Exists(installed))
            return installed;
        return "dotnet"; // from PATH
    }
}
