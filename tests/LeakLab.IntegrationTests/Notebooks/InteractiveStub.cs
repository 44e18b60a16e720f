namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// C# source of a tiny stand-in for Microsoft.DotNet.Interactive: exactly the members extension.dib uses, with the
/// signatures documented in shared/research/notebook-hosts.md §3 (current directive API), plus test hooks that
/// play the kernel's part (parse nothing, hand the handler an internal DirectiveCommand like the real kernel).
/// </summary>
internal static class InteractiveStub
{
    public const string AssemblyName = "Microsoft.DotNet.Interactive";

    public const string Source = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.DotNet.Interactive.Commands;
        using Microsoft.DotNet.Interactive.Directives;
        using Microsoft.DotNet.Interactive.Parsing;

        namespace Microsoft.DotNet.Interactive.Parsing
        {
            internal class DirectiveNode
            {
                public DirectiveNode(string text) => Text = text;
                public string Text { get; }
            }
        }

        namespace Microsoft.DotNet.Interactive.Commands
        {
            public abstract class KernelCommand { }
            public abstract class KernelDirectiveCommand : KernelCommand { }
            internal class DirectiveCommand : KernelCommand
            {
                internal DirectiveCommand(DirectiveNode directiveNode) => DirectiveNode = directiveNode;
                public DirectiveNode DirectiveNode { get; }
                public override string ToString() => $"Directive: {DirectiveNode.Text}";
            }
        }

        namespace Microsoft.DotNet.Interactive.Directives
        {
            public abstract class KernelDirective
            {
                protected KernelDirective(string name) => Name = name;
                public string Name { get; }
                public string? Description { get; set; }
                public bool Hidden { get; set; }
                public ICollection<KernelDirectiveParameter> Parameters { get; init; } = new List<KernelDirectiveParameter>();
            }

            public class KernelActionDirective : KernelDirective
            {
                public KernelActionDirective(string name, string? description = null) : base(name) => Description = description;
                public Type? KernelCommandType { get; set; }
                public ICollection<KernelActionDirective> Subcommands { get; init; } = new List<KernelActionDirective>();
                public KernelActionDirective? Parent { get; internal set; }
            }

            public class KernelDirectiveParameter
            {
                public KernelDirectiveParameter(string name, string? description = null) { Name = name; Description = description; }
                public string Name { get; }
                public string? Description { get; }
                public bool AllowImplicitName { get; init; }
                public int MaxOccurrences { get; init; } = 1;
                public bool Required { get; init; }
                public string TypeHint { get; init; } = "text";
                public bool Flag { get; init; }
            }
        }

        namespace Microsoft.DotNet.Interactive
        {
            public delegate Task KernelCommandInvocation(KernelCommand command, KernelInvocationContext context);

            public class DisplayedValue { }

            public class KernelInvocationContext
            {
                public static KernelInvocationContext? Current { get; set; }
                // test hooks
                public List<(object Value, string[] MimeTypes)> Displayed { get; } = new();
                public List<string?> Failures { get; } = new();

                public void Fail(KernelCommand command, Exception? exception = null, string? message = null) =>
                    Failures.Add(message ?? exception?.Message);
            }

            public static class KernelInvocationContextExtensions
            {
                public static DisplayedValue Display(this KernelInvocationContext context, object value, params string[] mimeTypes)
                {
                    context.Displayed.Add((value, mimeTypes));
                    return new DisplayedValue();
                }

                public static DisplayedValue DisplayAs(this KernelInvocationContext context, string value, string mimeType) =>
                    Display(context, value, mimeType);
            }

            public class Kernel
            {
                public static Kernel Root { get; } = new Kernel();

                // test hook: what AddDirective registered
                public List<(KernelActionDirective Directive, KernelCommandInvocation Handler)> Directives { get; } = new();

                public void AddDirective(KernelActionDirective directive, KernelCommandInvocation handler) => Directives.Add((directive, handler));

                public void AddDirective<TCommand>(KernelActionDirective directive, Func<TCommand, KernelInvocationContext, Task> handler)
                    where TCommand : KernelCommand =>
                    throw new NotSupportedException("the stub only plays the raw-handler overload");

                // test hook: the kernel's part when a cell holds a directive line
                public async Task<KernelInvocationContext> SubmitDirectiveAsync(string text)
                {
                    string name = text.Trim().Split(' ')[0];
                    var (directive, handler) = Directives.Single(d => d.Directive.Name == name);
                    var context = new KernelInvocationContext();
                    KernelInvocationContext.Current = context;
                    await handler(new DirectiveCommand(new DirectiveNode(text)), context);
                    return context;
                }
            }
        }
        """;
}
