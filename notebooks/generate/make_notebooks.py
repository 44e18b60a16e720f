"""Writes notebooks/S01-*.ipynb ... S15-*.ipynb and 00-investigate.ipynb from one template, so the fifteen
investigations stay alike: edit scenarios.py (per-scenario story, evidence, fix, path type, runtime table) or the
template here, then run `python3 notebooks/generate/make_notebooks.py [S05 ...]` and commit the notebooks."""
import json, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from scenarios import S

def nb(cells):
    out = []
    for kind, src in cells:
        c = {"cell_type": kind, "metadata": {}, "source": src.strip("\n").splitlines(True)}
        if kind == "code":
            c.update(execution_count=None, outputs=[])
            c["metadata"] = {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}}
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
            "language_info": {"name": "polyglot-notebook"},
            "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}}},
            "nbformat": 4, "nbformat_minor": 5}

LOAD = """// LeakLab's notebook package, from the local NuGet source scripts/pack-notebook-package.sh registered.
// From the next cell on: #!leaklab, LeakLab's formatters, `Lab` and the result types.
#r "nuget: LeakLab.Interactive, 0.1.0-*"
"""

def scenario_nb(sid, slug, scen, title, rate, ptype, table, story, evidence, fix):
    md, code = (lambda s: ("markdown", s)), (lambda s: ("code", s))
    paths = f"#!leaklab paths d2 --type {ptype} --limit 1"
    if sid == "S03":
        paths = """// The compiler names the closure class (ReportScheduler+<>c__DisplayClass…_0): find it, then ask for its path.
string closure = Lab.Current.Stats("d2", top: 1000).First(t => t.Type.StartsWith("LeakLab.Sample.") && t.Type.Contains("DisplayClass")).Type;
Lab.Current.Paths("d2", type: closure, limit: 1)"""
    extra_table = ""
    md, code = (lambda s: ("markdown", s)), (lambda s: ("code", s))
    dumps_first = [
        md("""## A series of dumps

A single snapshot only shows what is big; a leak is what **keeps growing**. Two dumps a second apart are enough for
the inspections to see growth (they read the runtime's own structures too, which only a dump has).""" + (""" Here the
dumps come before the live watch: the sample stops at 64 blocked threads (a machine-wide resource), so the growth
must be caught early; the watch afterwards shows the flat tail.""" if sid == "S07" else "")),
        code(f"""#!leaklab dump --name {scen} --as d1
await Task.Delay(TimeSpan.FromSeconds(1));
#!leaklab dump --name {scen} --as d2"""),
    ]
    if sid == "S08":
        extra_table = "\n#!leaklab runtime d2 --table memory"
    if sid == "S11":
        extra_table = "\n#!leaklab runtime d2 --table threads"
    cells = [
        md(f"""# {sid}: {title}

{story}

This notebook reproduces it with the bundled sample program (`LeakLab.Sample {scen}`) and walks the investigation:
watch it live, take a short series of dumps, let `#!leaklab inspect` name the cause, read the evidence (retention
path, growth, retained size, the `{table}` runtime table), query it, chart it, then run the `--fixed` variant and see it
clean. Scenario catalogue: `docs/scenarios.md` ({sid}); sample: `sampledata/LeakLab.Sample/README.md`.

Run it in VS Code Polyglot Notebooks, in Jupyter (`.net-csharp` kernel), or headless:
`leaklab run notebooks/{sid}-{slug}.ipynb --html {sid.lower()}.html` (see `notebooks/README.md`)."""),
        code(LOAD),
        md(f"""## Start the leaky program

`StartSampleAsync` starts `LeakLab.Sample {scen}` and waits for its READY line. The session stops it when it is
disposed, a process-exit hook stops it when the kernel exits, and `--parent-pid` makes the sample exit by itself when
this kernel is gone: it never outlives the notebook, even when a cell fails. The last cell stops it on a clean run.
Later cells name it `--name {scen}`: a name that matches a sample this session started always means that sample
(the running one), never a same-named process of another notebook or host on the machine."""),
        code(f"""var sample = await Lab.Current.StartSampleAsync("{scen}", "--rate", "{rate}", "--parent-pid", Environment.ProcessId.ToString());
sample"""),
    ] + (dumps_first if sid == "S07" else []) + [
        md("""## Watch it live

A few seconds of low-overhead tracing (EventPipe): runtime counters every second, every GC with the heap left per
generation, allocation samples and two EventPipe heap snapshots. The chart is the GC timeline; `live_counters` holds
the counters as a DataFrame. A real investigation watches longer (the leak warning needs three gen2 GCs)."""),
        code(f"#!leaklab watch --name {scen} --duration 3 --snapshots 2 --to live"),
        code("""// The counters the watch sampled, as a DataFrame: the highest value of each counter during the watch.
live_counters.GroupBy<string>("name").Max("value")"""),
    ] + ([] if sid == "S07" else dumps_first) + [
        md(f"""## Let the inspections name the cause

`#!leaklab inspect` runs every inspection (S01–S15) over the series. They key on runtime structures (timer queues,
invocation lists, callback lists, channel queues, handles, the finalizer queue, thread stacks), never on the program's
own names. The top finding should be **{sid}**; the chart shows the count behind each finding per dump."""),
        code("#!leaklab inspect d1 d2 --to findings"),
        code(f"""// The same from C#: fail loudly if the inspections did not name this scenario.
var inspection = Lab.Current.Inspect("d1", "d2");
var cause = inspection.FirstOrDefault(f => f.Scenario == "{sid}")
    ?? throw new InvalidOperationException($"no {sid} finding; the inspections found: {{string.Join("; ", inspection.Select(f => $"[{{f.Scenario}}] {{f.Title}}"))}}");
Console.WriteLine($"Cause: [{{cause.Scenario}}] {{cause.Title}}");
Console.WriteLine($"Root: {{cause.Root.Kind}} {{cause.Root.Name}}; retains {{cause.RetainedBytes:N0}} bytes; counts {{string.Join(" -> ", cause.Counts)}}");
Console.WriteLine($"Fix: {{cause.Fix}}");"""),
        md(f"""## The evidence

**Retention path.** {evidence}"""),
        code(paths),
        md(f"""**The runtime table that matters** (`#!leaklab runtime --table {table}`), read from the last dump."""),
        code(f"#!leaklab runtime d2 --table {table}{extra_table}"),
        md("""**Growth and retained size.** The diff ranks what grew between the dumps (types, roots, path shapes); the
retained table shows what each root would free."""),
        code("#!leaklab diff d1 d2"),
        code("#!leaklab retained d2 --top 5"),
        md("""## Query it

The snapshots are SQL tables (`snapshots`, `types`, `roots`, `objects`, `refs`); `--to` also hands the result to C#
as a DataFrame."""),
        code(f"""#!leaklab sql --to growth
SELECT s.label AS snapshot, t.type, t.count, t.bytes
FROM types t JOIN snapshots s ON s.id = t.snapshot_id
WHERE t.type = '{ptype if sid != "S03" else "System.Byte[]"}'
ORDER BY s.id"""),
        code("""// DataFrames from the cells above: the finding's count per dump, and the growth of the leaking type.
var counts = findings_counts;
long first = Convert.ToInt64(growth["count"][0]), last = Convert.ToInt64(growth["count"][growth.Rows.Count - 1]);
Console.WriteLine($"{growth["type"][0]}: {first:N0} -> {last:N0} objects (+{last - first:N0} between the two dumps)");
counts"""),
        md("""## Chart it

Counts and bytes of the top growing types across the two dumps."""),
        code("#!leaklab chart growth --top 5"),
        md(f"""## Cause and fix

{fix}"""),
        md(f"""## The fixed program, clean

The sample's `--fixed` variant does the same work with the bug fixed. Stop the leaky one, start the fixed one, take
the same two dumps and inspect them: no {sid} finding."""),
        code(f"""sample.Dispose();
var fixedSample = await Lab.Current.StartSampleAsync("{scen}", "--fixed", "--rate", "{rate}", "--parent-pid", Environment.ProcessId.ToString());
fixedSample"""),
        code(f"""#!leaklab dump --name {scen} --as f1
await Task.Delay(TimeSpan.FromSeconds(1));
#!leaklab dump --name {scen} --as f2
#!leaklab inspect f1 f2"""),
        code(f"""var fixedFindings = Lab.Current.Inspect("f1", "f2");
if (fixedFindings.Any(f => f.Scenario == "{sid}"))
    throw new InvalidOperationException("the fixed variant still shows {sid}: " + string.Join("; ", fixedFindings.Select(f => f.Title)));
Console.WriteLine($"Fixed: no {sid} finding ({{fixedFindings.Count}} finding(s) in all)");"""),
        md("""## Stop the samples

Both samples stop here; if an earlier cell failed, the kernel's exit (and `--parent-pid`) stops them instead."""),
        code("""fixedSample.Dispose();
sample.Dispose();
Lab.Current.Samples.Select(s => s.ToString())"""),
    ]
    return nb(cells)

def main():
    outdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    only = sys.argv[1:]
    with open(os.path.join(outdir, "00-investigate.ipynb"), "w") as f:
        json.dump(investigate_nb(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    for row in S:
        if only and row[0] not in only: continue
        path = os.path.join(outdir, f"{row[0]}-{row[1]}.ipynb")
        with open(path, "w") as f:
            json.dump(scenario_nb(*row), f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(path)

def investigate_nb():
    md, code = (lambda s: ("markdown", s)), (lambda s: ("code", s))
    return nb([
        md("""# Investigate your own process

A blank investigation for a .NET process of yours (.NET 6 or later, same user, same machine): watch it, take a
series of dumps, let the inspections name causes, follow the retention paths, and query and chart what grows.

**How to use it:** set `pid` *or* `processName` in the first code cell below, then run the cells in order. Left as
they are, the notebook starts the bundled leaky sample (`LeakLab.Sample event-handlers`), so it also runs unattended
(CI runs it with `leaklab run` and in Jupyter). Every step uses the C# API with your pid; each cell's comment names
the `#!leaklab` magic command that does the same for a process name (`--name`) or a pid (`--pid`).

Dumps go into a temporary folder of the session and are deleted when the kernel exits. A dump pauses the process
for the time it takes to write (seconds for a small service; longer for a big heap): do not do this to a production
process that must not stall."""),
        code(LOAD),
        md("""## 1. Your target

Set **one** of `pid` or `processName`. `Lab.Current.FindProcess` finds a process by name (it must be unique among
the .NET processes it can see)."""),
        code("""int? pid = null;                 // e.g. 12345
string processName = "";        // e.g. "MyService"

SampleProgram sample = null;
if (pid is null && processName == "")
{
    // Nothing set: start the bundled sample, which leaks a subscriber per item. --parent-pid makes it exit with this
    // kernel, so it never outlives the notebook even when a cell fails.
    sample = await Lab.Current.StartSampleAsync("event-handlers", "--rate", "200", "--parent-pid", Environment.ProcessId.ToString());
    pid = sample.Pid;
}
int target = pid ?? Lab.Current.FindProcess(processName);
Console.WriteLine($"Investigating pid {target}" + (sample is null ? "" : $" ({sample})"));"""),
        md("""## 2. Watch it live

Counters, every GC with the heap left per generation, allocation samples and heap snapshots, for a few seconds
(`#!leaklab watch --pid N --duration 5`). A leak shows as the heap left after gen2 GCs rising step after step; the
leak warning needs three gen2 GCs. Watch longer (30–120 s) on a real service."""),
        code("""var watch = await Lab.Current.WatchAsync(target, new LiveWatchOptions(Duration: TimeSpan.FromSeconds(4), Interval: TimeSpan.FromSeconds(1), Snapshots: 2));
watch"""),
        md("""## 3. A series of dumps

Three dumps a little apart (`#!leaklab dump --pid N --as s1`). What grows in every step is the suspect. On a real
service, space them by minutes of normal load, not seconds."""),
        code("""for (int i = 1; i <= 3; i++)
{
    if (i > 1)
        await Task.Delay(TimeSpan.FromSeconds(1));
    var snapshot = await Lab.Current.DumpAsync(target, $"s{i}");
    Console.WriteLine(snapshot);
}"""),
        md("""## 4. The inspections

Every inspection (S01–S15: static caches, event subscribers, timers, token sources, channels, blocked threads, GC
handles, the finalizer queue, undisposed handles, AsyncLocal values, stack frames…) over the series
(`#!leaklab inspect s1 s2 s3`). Findings come first by score, each with its root, evidence and fix."""),
        code("""var findings = Lab.Current.Inspect("s1", "s2", "s3");
Console.WriteLine(findings.Count == 0 ? "No finding." : $"Top finding: [{findings[0].Scenario}] {findings[0].Title}");
findings"""),
        md("""## 5. What grows

The diff ranks types, roots and path shapes that grew in every step (`#!leaklab diff`). The top suspect is the type
to follow."""),
        code("""var diff = Lab.Current.Diff("s1", "s2", "s3");
var suspect = diff.Suspects.FirstOrDefault();
Console.WriteLine(suspect is null ? "Nothing grew steadily." : $"Top suspect: {suspect.Type}: {string.Join(" -> ", suspect.Counts)} objects ({suspect.Reason})");
diff"""),
        md("""## 6. Who keeps it alive

Retention paths from the GC roots to the suspect type, grouped by shape, with field names
(`#!leaklab paths --type T`). The root at the top (a static field, a GC handle, a thread's frame, the finalizer queue,
a timer) is what to change."""),
        code("""suspect is null ? (object)"No suspect to follow." : Lab.Current.Paths("s3", type: suspect.Type, limit: 2)"""),
        md("""## 7. How much it costs

Retained size: what each root, type and object would free if it let go (`#!leaklab retained`)."""),
        code("""Lab.Current.Retained("s3", top: 8)"""),
        md("""## 8. The runtime's own tables

From the last dump: the finalizer queue, GC handles, timers, threads, pending tasks, token registrations, open
SafeHandles and memory beyond the GC heap (`#!leaklab runtime`)."""),
        code("""Lab.Current.Runtime("s3", table: "memory")"""),
        md("""## 9. Query it as a DataFrame

Every result converts to `Microsoft.Data.Analysis.DataFrame`s (`--to NAME` on a magic command does it for you). Here:
the diff's per-type rows, filtered to the types that grew."""),
        code("""var types = diff.ToDataFrames()[0].Frame;   // a Microsoft.Data.Analysis.DataFrame
types.Filter(types["growing"].ElementwiseEquals(true))"""),
        md("""Or in SQL over the snapshots' tables (`snapshots`, `types`, `roots`, `objects`, `refs`):"""),
        code("""#!leaklab sql
SELECT s.label AS snapshot, SUM(t.count) AS objects, SUM(t.bytes) AS bytes
FROM types t JOIN snapshots s ON s.id = t.snapshot_id
GROUP BY s.id, s.label ORDER BY s.id"""),
        md("""## 10. Chart it

The growth of the top suspects across the three dumps (`#!leaklab chart growth`)."""),
        code("""Lab.Current.Chart(ChartKind.Growth, top: 5)"""),
        md("""## 11. Done

Stop the sample if this notebook started it (your own process is left alone). The session's dumps are deleted when
the kernel exits."""),
        code("""sample?.Dispose();
Lab.Current.Samples.Select(s => s.ToString())"""),
    ])

if __name__ == "__main__":
    main()
