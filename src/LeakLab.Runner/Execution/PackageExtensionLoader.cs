using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Runner.Execution;

/// <summary>
/// What the dotnet-interactive tool does after <c>#r "nuget:…"</c> (its KernelExtensionLoader and
/// PackageDirectoryExtensionLoader; the library packages do not do it): for every package added, once per package
/// root, look for <c>interactive-extensions/dotnet</c>; load its dlls' <see cref="IKernelExtension"/> types, then run
/// its <c>extension.dib</c> on the root kernel. It runs after the command that restored the package, so the
/// package's lib/ assemblies are referenced by then.
/// </summary>
internal static class PackageExtensionLoader
{
    private const string ExtensionScript = "extension.dib";

    public static CompositeKernel UsePackageExtensions(this CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<PackageAdded>();
        var seenRoots = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var loadedAssemblies = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var package))
            {
                var directory = new DirectoryInfo(Path.Combine(package.PackageReference.PackageRoot, "interactive-extensions", "dotnet"));
                if (!directory.Exists)
                    continue;
                await LoadDllExtensionsAsync(kernel, directory, context, loadedAssemblies);
                var script = new FileInfo(Path.Combine(directory.FullName, ExtensionScript));
                if (script.Exists)
                {
                    KernelInvocationContextExtensions.Display(context, $"Loading extension script from `{script.FullName}`");
                    await kernel.LoadAndRunInteractiveDocument(script, context.Command);
                }
            }
        });

        // Only queue here: this callback runs inside the kernel's event stream, where output or a new command
        // would feed back into it.
        var subscription = kernel.KernelEvents.Subscribe(new EventObserver(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root } package && seenRoots.TryAdd(root, true))
                added.Enqueue(package);
        }));
        kernel.RegisterForDisposal(subscription);
        return kernel;
    }

    private static async Task LoadDllExtensionsAsync(Kernel kernel, DirectoryInfo directory, KernelInvocationContext context, ConcurrentDictionary<string, bool> loaded)
    {
        foreach (var dll in directory.GetFiles("*.dll", SearchOption.TopDirectoryOnly))
        {
            if (!loaded.TryAdd(AssemblyName.GetAssemblyName(dll.FullName).FullName, true))
                continue;
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll.FullName);
            var extensionTypes = assembly.ExportedTypes
                .Where(t => !t.IsAbstract && !t.IsInterface && !t.IsGenericTypeDefinition && typeof(IKernelExtension).IsAssignableFrom(t))
                .ToArray();
            if (extensionTypes.Length > 0)
                KernelInvocationContextExtensions.Display(context, $"Loading extensions from `{assembly.Location}`");
            foreach (var type in extensionTypes)
            {
                try
                {
                    await ((IKernelExtension)Activator.CreateInstance(type)!).OnLoadAsync(kernel);
                }
                catch (Exception e)
                {
                    context.Fail(context.Command, e, $"Failed to load kernel extension \"{type.Name}\" from assembly {assembly.Location}: {e.Message}");
                }
            }
        }
    }
}
