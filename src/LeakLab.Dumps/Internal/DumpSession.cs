using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// An open dump: ClrMD's data target, runtime and heap, plus what LeakLab knows about the snapshot. Opening turns
/// every failure a user can meet (no file, not a dump, cut short, no .NET in it, no DAC, heap mid-GC) into a
/// one-line <see cref="LeakLabException"/>.
/// </summary>
internal sealed class DumpSession : IDisposable
{
    private const string TakeAnother = "take another one with `leaklab dump --pid N`";
    private const string DacFileName = "libmscordaccore.so";

    private DumpSession(DataTarget target, ClrRuntime runtime, SnapshotInfo info)
    {
        Target = target;
        Runtime = runtime;
        Heap = runtime.Heap;
        Info = info;
    }

    public DataTarget Target { get; }
    public ClrRuntime Runtime { get; }
    public ClrHeap Heap { get; }
    public SnapshotInfo Info { get; }
    public IMemoryReader Memory => Target.DataReader;
    public string Path => Info.Path!;

    public static DumpSession Open(string path, DumpLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"dump file not found: {path} (not a valid path)", ex);
        }

        DumpFileCheck file;
        try
        {
            file = DumpFileCheck.Run(full);
        }
        catch (Exception ex)
        {
            throw Translate(ex, full);
        }
        options.CancellationToken.ThrowIfCancellationRequested();
        options.Progress?.Report(new LoadProgress("open", 0, 1));

        DataTarget? target = null;
        ClrRuntime? runtime = null;
        try
        {
            target = DataTarget.LoadDump(full);
            if (target.DataReader.PointerSize != 8)
                throw new LeakLabException(LeakLabErrorKind.NoRuntime, $"{full} is a dump of a 32-bit process; LeakLab reads 64-bit dumps only");
            if (target.ClrVersions.Length == 0)
                throw new LeakLabException(LeakLabErrorKind.NoRuntime, $"no .NET runtime found in {full} (not a .NET process, or the dump is incomplete); {TakeAnother}");

            ClrInfo clr = target.ClrVersions[0];
            string? version = RuntimeVersionOf(clr);
            runtime = CreateRuntime(clr, options, version);
            if (!runtime.Heap.CanWalkHeap)
                throw new LeakLabException(LeakLabErrorKind.NoRuntime, $"the GC heap in {full} cannot be walked: the dump was taken in the middle of a garbage collection; {TakeAnother}");

            var info = new SnapshotInfo
            {
                SourceKind = "dump",
                Path = full,
                ProcessId = file.ProcessId ?? ProcessIdOf(target),
                ProcessName = ProcessNameOf(file.ProcessName, runtime),
                CapturedAt = CaptureStamp.TryRead(full), // never the file time: a copy changes it
                RuntimeVersion = version,
                HasFieldNames = true,
            };
            var session = new DumpSession(target, runtime, info);
            options.Progress?.Report(new LoadProgress("open", 1, 1));
            return session;
        }
        catch (Exception ex)
        {
            runtime?.Dispose();
            target?.Dispose();
            throw Translate(ex, full);
        }
    }

    /// <summary>Any exception from ClrMD or the walk, as the one-line error a user can act on; out of memory and cancellation pass through.</summary>
    public static Exception Translate(Exception ex, string path) => ex switch
    {
        // Out of memory is the machine's state, not the dump's: callers see it as it is (hosts print one line for it).
        LeakLabException or OperationCanceledException or OutOfMemoryException => ex,
        UnauthorizedAccessException => new LeakLabException(LeakLabErrorKind.Permission, $"cannot read {path}: permission denied; run LeakLab as the user that owns the dump, or make it readable (chmod a+r)", ex),
        _ => new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"could not read {path}: {MessageText.OneLine(ex.Message)} ({ex.GetType().Name}); the dump is corrupt or incomplete: {TakeAnother}", ex),
    };

    public void Dispose()
    {
        Runtime.Dispose();
        Target.Dispose();
    }

    /// <summary>The runtime of a dump's CLR: the DAC it names, else a matching local one, else <c>--dac</c>'s.</summary>
    internal static ClrRuntime CreateRuntime(ClrInfo clr, DumpLoadOptions options) => CreateRuntime(clr, options, RuntimeVersionOf(clr));

    private static ClrRuntime CreateRuntime(ClrInfo clr, DumpLoadOptions options, string? version)
    {
        string? dacPath = options.DacPath;
        string shown = version ?? "(unknown version)";
        if (dacPath is not null)
        {
            string dac = System.IO.Path.GetFullPath(dacPath);
            if (!File.Exists(dac))
                throw new LeakLabException(LeakLabErrorKind.MissingDac, $"DAC file not found: {dac}; pass the {DacFileName} of .NET runtime {shown} with --dac PATH");
            try
            {
                return clr.CreateRuntime(dac, ignoreMismatch: true);
            }
            catch (Exception ex) when (ex is not (LeakLabException or OutOfMemoryException))
            {
                throw new LeakLabException(LeakLabErrorKind.MissingDac, $"could not load the DAC {dac} for .NET runtime {shown}: {MessageText.OneLine(ex.Message)}; pass the {DacFileName} that ships with that runtime", ex);
            }
        }

        try
        {
            return clr.CreateRuntime();
        }
        catch (Exception ex) when (IsMissingDac(ex))
        {
            // The dump names the libcoreclr.so it ran with; its DAC sits next to it, unless the runtime was private
            // (a self-contained app, a container image). Any local runtime of the same build has the same DAC.
            foreach (string candidate in LocalDacCandidates(clr, version, options.RuntimeSearchRoots))
            {
                try
                {
                    return clr.CreateRuntime(candidate, ignoreMismatch: true);
                }
                catch (Exception)
                {
                    // try the next candidate
                }
            }
            string where = System.IO.Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? clr.ModuleInfo.FileName;
            throw new LeakLabException(LeakLabErrorKind.MissingDac,
                $"the .NET runtime's DAC ({DacFileName}) for runtime {shown} was not found next to {where}; install that runtime or pass --dac PATH", ex);
        }
    }

    private static bool IsMissingDac(Exception ex) =>
        ex is FileNotFoundException or DllNotFoundException || ex.Message.Contains("DAC", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// DACs of locally installed runtimes that match the dump: same libcoreclr build id when both are known,
    /// otherwise the same version folder name.
    /// </summary>
    private static IEnumerable<string> LocalDacCandidates(ClrInfo clr, string? version, IReadOnlyList<string>? roots)
    {
        byte[] wanted = clr.BuildId.IsDefaultOrEmpty ? [] : [.. clr.BuildId];
        foreach (string dir in InstalledRuntimeFolders(roots))
        {
            string dac = System.IO.Path.Combine(dir, DacFileName);
            if (!File.Exists(dac))
                continue;
            byte[]? local = ElfBuildId.Read(System.IO.Path.Combine(dir, "libcoreclr.so"));
            bool sameBuild = wanted.Length > 0 && local is not null && local.AsSpan().SequenceEqual(wanted);
            bool sameVersion = version is not null && System.IO.Path.GetFileName(dir) == version;
            bool buildKnownAndDifferent = wanted.Length > 0 && local is not null && !sameBuild;
            if (sameBuild || (sameVersion && !buildKnownAndDifferent))
                yield return dac;
        }
    }

    private static IEnumerable<string> InstalledRuntimeFolders(IReadOnlyList<string>? searchRoots)
    {
        var roots = new List<string>();
        string? own = null;
        if (searchRoots is not null)
        {
            roots.AddRange(searchRoots);
        }
        else
        {
            if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
                roots.Add(dotnetRoot);
            roots.AddRange(["/usr/share/dotnet", "/usr/lib/dotnet", "/opt/dotnet"]);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (home.Length > 0)
                roots.Add(System.IO.Path.Combine(home, ".dotnet"));
            // The runtime running LeakLab: .../shared/Microsoft.NETCore.App/<version>/
            own = System.IO.Path.GetDirectoryName(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        }

        var folders = new List<string>();
        foreach (string root in roots)
        {
            string shared = System.IO.Path.Combine(root, "shared", "Microsoft.NETCore.App");
            if (Directory.Exists(shared))
                folders.AddRange(Directory.EnumerateDirectories(shared));
        }
        if (own is not null && Directory.Exists(own))
            folders.AddRange(Directory.EnumerateDirectories(own));
        return folders.Select(f => System.IO.Path.GetFullPath(f)).Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The runtime version from the folder libcoreclr.so was loaded from (…/Microsoft.NETCore.App/10.0.12/), because
    /// ClrInfo.Version reads 0.0 on Linux dumps.
    /// </summary>
    private static string? RuntimeVersionOf(ClrInfo clr)
    {
        string? folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(clr.ModuleInfo.FileName ?? ""));
        if (folder is { Length: > 0 } && char.IsAsciiDigit(folder[0]) && folder.Contains('.'))
            return folder;
        return clr.Version is { Major: > 0 } v ? v.ToString() : null;
    }

    /// <summary>
    /// The ELF notes give the executable's name cut to 15 characters, which for <c>dotnet App.dll</c> is "dotnet"
    /// (createdump leaves the command line out). The app's own name then comes from its first command-line argument
    /// as the runtime stored it (<c>Environment.s_commandLineArgs[0]</c>, the app's path).
    /// </summary>
    private static string? ProcessNameOf(string? fromNotes, ClrRuntime runtime)
    {
        if (fromNotes is not (null or "dotnet") && fromNotes.Length < 15)
            return fromNotes;
        string? app = AppNameOf(runtime);
        if (app is null)
            return fromNotes;
        return fromNotes is null or "dotnet" || app.StartsWith(fromNotes, StringComparison.Ordinal) ? app : fromNotes;
    }

    private static string? AppNameOf(ClrRuntime runtime)
    {
        try
        {
            ClrStaticField? field = runtime.BaseClassLibrary?.GetTypeByName("System.Environment")?.GetStaticFieldByName("s_commandLineArgs");
            ClrAppDomain? domain = runtime.AppDomains.FirstOrDefault();
            if (field is null || domain is null)
                return null;
            ClrObject args = field.ReadObject(domain);
            if (!args.IsValid || !args.IsArray)
                return null;
            ClrArray array = args.AsArray();
            string? first = array.Length > 0 ? array.GetObjectValue(0).AsString(maxLength: 4096) : null;
            string? name = string.IsNullOrWhiteSpace(first) ? null : System.IO.Path.GetFileNameWithoutExtension(first.Trim());
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (Exception)
        {
            return null; // a name is nice to have; never a reason to fail the load
        }
    }

    private static int? ProcessIdOf(DataTarget target)
    {
        try
        {
            int pid = target.DataReader.ProcessId;
            return pid > 0 ? pid : null;
        }
        catch (Exception)
        {
            return null; // not every reader knows it
        }
    }
}
