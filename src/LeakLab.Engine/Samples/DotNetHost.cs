namespace LeakLab.Engine.Samples;

/// <summary>Finds the <c>dotnet</c> host to run the sample program and builds with: the running host first, so the sample gets the same runtime.</summary>
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
        return "dotnet"; // from PATH
    }
}
