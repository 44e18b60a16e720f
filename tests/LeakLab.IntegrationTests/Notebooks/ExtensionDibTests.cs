using System.Collections;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using LeakLab;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Xunit;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// LeakLab cannot reference .NET Interactive, so extension.dib is compiled with Roslyn against a stub that mimics
/// the documented API members it uses, run the way the kernel runs it, and driven like the kernel drives a directive.
/// </summary>
public class ExtensionDibTests
{
    private static string DibPath => Path.Combine(RepoPaths.Root, "kernels-ext", "LeakLab.Interactive", "extension.dib");

    /// <summary>The C# cells of the .dib (what LoadAndRunInteractiveDocument submits).</summary>
    private static List<string> CSharpCells()
    {
        var cells = new List<string>();
        string? kernel = null;
        var current = new List<string>();
        foreach (string line in File.ReadAllLines(DibPath).Append("#!end"))
        {
            if (line.StartsWith("#!", StringComparison.Ordinal) && !line.StartsWith("#!leaklab", StringComparison.Ordinal))
            {
                if (kernel == "#!csharp")
                    cells.Add(string.Join('\n', current));
                kernel = line.Trim();
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }
        return cells;
    }

    [Fact]
    public void TheDibDeclaresNoUsings()
    {
        var cells = CSharpCells();
        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, c => Regex.IsMatch(c, @"^\s*using\s+[\w.=\s]+;", RegexOptions.Multiline));
    }

    [Fact]
    public async Task TheDibRegistersLeaklabAndMagicTextReachesTheExecutor()
    {
        string dir = Directory.CreateTempSubdirectory("leaklab-stub-").FullName;
        var previous = Lab.Current;
        try
        {
            string stubPath = CompileStub(dir);
            var options = ScriptOptions.Default
                .WithReferences(FrameworkReferences().Append(MetadataReference.CreateFromFile(stubPath))
                    .Concat(new[] { typeof(InteractiveExtension), typeof(Lab), typeof(HeapGraph) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location))))
                .WithImports(); // a kernel session has its own imports; the .dib must not rely on any

            // The kernel runs the .dib inside a command, so KernelInvocationContext.Current is set while it runs.
            var state = await CSharpScript.RunAsync(
                "Microsoft.DotNet.Interactive.KernelInvocationContext.Current = new Microsoft.DotNet.Interactive.KernelInvocationContext();", options);
            foreach (string cell in CSharpCells())
                state = await state.ContinueWithAsync(cell, options);
            Assert.NotNull(state);
            Assembly stub = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == InteractiveStub.AssemblyName);
            Type kernelType = stub.GetType("Microsoft.DotNet.Interactive.Kernel")!;
            object root = kernelType.GetProperty("Root")!.GetValue(null)!;
            object loadContext = stub.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext")!.GetProperty("Current")!.GetValue(null)!;
            var loaded = Prop<IEnumerable>(loadContext, "Displayed").Cast<object>().Select(d => d.GetType().GetField("Item1")!.GetValue(d)).ToList();
            Assert.Contains(loaded, v => v is string text && text.Contains("#!leaklab load"));

            // One #!leaklab directive, one subcommand per registry entry, options declared for completions.
            var directives = ((IEnumerable)kernelType.GetProperty("Directives")!.GetValue(root)!).Cast<object>().ToList();
            var registered = directives.Single();
            object directive = registered.GetType().GetField("Item1")!.GetValue(registered)!;
            Assert.Equal("#!leaklab", Prop<string>(directive, "Name"));
            var subcommands = Prop<IEnumerable>(directive, "Subcommands").Cast<object>().ToList();
            Assert.Equal(MagicCommandRegistry.Default.Subcommands.Select(s => s.Name), subcommands.Select(s => Prop<string>(s, "Name")));
            var stats = subcommands.Single(s => Prop<string>(s, "Name") == "stats");
            var parameters = Prop<IEnumerable>(stats, "Parameters").Cast<object>().ToList();
            Assert.Equal(["--top", "--type", "--retained", "--args"], parameters.Select(p => Prop<string>(p, "Name")));
            Assert.True(Prop<bool>(parameters.Single(p => Prop<string>(p, "Name") == "--retained"), "Flag"));
            Assert.True(Prop<bool>(parameters.Single(p => Prop<string>(p, "Name") == "--args"), "AllowImplicitName"));

            // Drive it like the kernel: the handler gets the directive text through our parser and executor.
            using var session = new LeakLabSession();
            var b = new HeapGraphBuilder();
            int cache = b.AddNode("MyApp.Cache", 64);
            for (int i = 0; i < 5; i++)
                b.AddEdge(cache, b.AddNode("System.Byte[]", 1000), FieldIds.ArrayElement);
            b.AddRoot(RootKind.StaticField, "MyApp.Cache.Instance", cache);
            session.Add(b.Build(), "one");
            Lab.Current = session;

            var submit = kernelType.GetMethod("SubmitDirectiveAsync")!;
            object context = await Awaited(submit.Invoke(root, ["#!leaklab stats --top 1"])!);
            var shown = Assert.Single(Prop<IEnumerable>(context, "Displayed").Cast<object>());
            var result = Assert.IsType<StatsResult>(shown.GetType().GetField("Item1")!.GetValue(shown));
            Assert.Equal("System.Byte[]", Assert.Single(result).Type);
            Assert.Equal(["text/html", "text/plain"], (string[])shown.GetType().GetField("Item2")!.GetValue(shown)!);
            Assert.Empty(Prop<IEnumerable>(context, "Failures").Cast<object>());

            object paths = await Awaited(submit.Invoke(root, ["#!leaklab paths one --type \"System.Byte[]\""])!);
            var path = Assert.IsType<PathsResult>(Prop<IEnumerable>(paths, "Displayed").Cast<object>().Single().GetType().GetField("Item1")!
                .GetValue(Prop<IEnumerable>(paths, "Displayed").Cast<object>().Single()));
            Assert.Equal("MyApp.Cache.Instance", Assert.Single(path).RootName);

            object failed = await Awaited(submit.Invoke(root, ["#!leaklab stats --bogus"])!);
            string failure = Assert.Single(Prop<IEnumerable>(failed, "Failures").Cast<string>());
            Assert.Contains("unknown option '--bogus'. Usage: #!leaklab stats", failure);
        }
        finally
        {
            Lab.Current = previous;
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DirectiveTextReadsTheKernelsCommandOrItsToString()
    {
        Assert.Equal("#!leaklab stats", InteractiveExtension.DirectiveText(new FakeCommand("Directive: #!leaklab stats\n")));
        var error = Assert.Throws<LeakLabException>(() => InteractiveExtension.DirectiveText(new FakeCommand("SubmitCode: x")));
        Assert.Contains("Lab.Current", error.Message);
    }

    [Fact]
    public void PackHoldsEveryLeakLabAssemblyAndTheDib()
    {
        string dir = Directory.CreateTempSubdirectory("leaklab-pack-").FullName;
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (string a in PackArguments(dir))
                psi.ArgumentList.Add(a);
            using var pack = System.Diagnostics.Process.Start(psi)!;
            string stdout = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
            Assert.True(pack.WaitForExit(600_000), "dotnet pack timed out");
            Assert.True(pack.ExitCode == 0, stdout);

            using var zip = ZipFile.OpenRead(Path.Combine(dir, "LeakLab.Interactive.0.1.0.nupkg"));
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (string lib in new[] { "Interactive", "Notebooks", "Core", "Capture", "Dumps", "Presentation", "Query" })
                Assert.Contains($"lib/net10.0/LeakLab.{lib}.dll", entries);
            Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("interactive-extensions/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal));
            using var nuspec = new StreamReader(zip.GetEntry("LeakLab.Interactive.nuspec")!.Open());
            string spec = nuspec.ReadToEnd();
            // Every external package a packed LeakLab library uses stays a dependency of the package.
            foreach (string lib in new[] { "Core", "Capture", "Dumps", "Presentation", "Query", "Notebooks" })
            {
                string csproj = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", $"LeakLab.{lib}", $"LeakLab.{lib}.csproj"));
                foreach (Match m in Regex.Matches(csproj, "<PackageReference Include=\"([^\"]+)\""))
                    Assert.Contains($"id=\"{m.Groups[1].Value}\"", spec);
            }
            Assert.Contains("id=\"Microsoft.Diagnostics.Runtime\"", spec);
            Assert.DoesNotContain("id=\"LeakLab.", spec); // LeakLab's own libraries are inside, not dependencies
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Packs from the test build's own outputs when they are there (--no-build takes seconds); otherwise builds the
    /// package from scratch into the temp folder.
    /// </summary>
    private static string[] PackArguments(string dir)
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        // --artifacts-path layout: <root>/bin/LeakLab.IntegrationTests/<config>/
        if (baseDir.Parent?.Parent is { Name: "bin" } bin && bin.Parent is { } root
            && File.Exists(Path.Combine(bin.FullName, "LeakLab.Interactive", baseDir.Name, "LeakLab.Interactive.dll")))
            return ["pack", "kernels-ext/LeakLab.Interactive", "-o", dir, "--no-build", "-c", baseDir.Name, "--artifacts-path", root.FullName, "--nologo"];
        // Default layout: tests/LeakLab.IntegrationTests/bin/<Config>/net10.0/
        string? config = baseDir.Parent?.Name;
        if (config is not null && File.Exists(Path.Combine(RepoPaths.Root, "kernels-ext", "LeakLab.Interactive", "bin", config, baseDir.Name, "LeakLab.Interactive.dll")))
            return ["pack", "kernels-ext/LeakLab.Interactive", "-o", dir, "--no-build", "-c", config, "--nologo"];
        return ["pack", "kernels-ext/LeakLab.Interactive", "-o", dir, "--artifacts-path", Path.Combine(dir, "art"), "--nologo"];
    }

    private sealed class FakeCommand(string text)
    {
        public override string ToString() => text;
    }

    private static T Prop<T>(object o, string name) => (T)o.GetType().GetProperty(name)!.GetValue(o)!;

    private static async Task<object> Awaited(object task)
    {
        await (Task)task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Select(p => MetadataReference.CreateFromFile(p));
    }

    private static string CompileStub(string dir)
    {
        var compilation = CSharpCompilation.Create(InteractiveStub.AssemblyName,
            [CSharpSyntaxTree.ParseText(InteractiveStub.Source)],
            FrameworkReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        string path = Path.Combine(dir, InteractiveStub.AssemblyName + ".dll");
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return path;
    }
}
