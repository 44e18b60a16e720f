using System.CommandLine;

namespace LeakLab.Cli;

/// <summary><c>leaklab ps</c>: the .NET processes this user can diagnose.</summary>
internal static class PsCommand
{
    public static Command Create(CliContext context)
    {
        Option<bool> json = CommonOptions.Json();
        var command = new Command("ps", "List .NET processes (pid, name, command line) that LeakLab can dump.") { json };
        command.SetAction(parse =>
        {
            var processes = DotNetProcesses.List(excludeSelf: true);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                    processes.Select(p => new { pid = p.Pid, name = p.Name, commandLine = p.CommandLine }),
                    new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return CliApp.Success;
            }
            if (processes.Count == 0)
            {
                context.Out.WriteLine("No .NET process found (LeakLab sees processes of the same user that have a diagnostics socket).");
                return CliApp.Success;
            }
            TextTable table = context.TextOptions.Table(new("PID", ColumnKind.Number), new("Name"), new("Command line"));
            foreach (var p in processes)
                table.AddRow(p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Name, p.CommandLine);
            context.Out.Write(table.Render());
            return CliApp.Success;
        });
        return command;
    }
}
