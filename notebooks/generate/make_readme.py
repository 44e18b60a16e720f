"""Writes notebooks/README.md: the index of the curated notebooks (one entry per notebook: what it teaches and its
key chart or table) and how to open them. Prose is wrapped to 100 columns and the index is a list, not a table, so
the file reads in a 100-column terminal (tests/LeakLab.IntegrationTests/Cli/ReadmeWidthTests.cs checks it).
Edit the entries or the text here, then run `python3 notebooks/generate/make_readme.py` and commit the README."""
import os
import textwrap

WIDTH = 100
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "README.md")

# (notebook file stem, scenario, what it teaches, key chart / table)
NOTEBOOKS = [
    ("00-investigate", "your own process; by default the sample",
     "the whole workflow on any pid or process name: watch, dumps, inspections, paths, retained, "
     "runtime tables, DataFrame, SQL",
     "growth of the top suspects"),
    ("S01-static-cache", "S01 static cache that only grows",
     "a static field as the root; entries added on a path that throws",
     "growth of `CachedOrder` under `OrderCache.Entries`"),
    ("S02-event-handlers", "S02 dangling event subscriber",
     "invocation lists keep subscribers; `-=` in `Dispose`",
     "subscriber count per dump"),
    ("S03-captured-closure", "S03 closure captured by a never-completed task",
     "compiler-generated `<>c__DisplayClass` and the captured field's name",
     "`tasks` table (one task, thousands of continuations)"),
    ("S04-blocked-channel", "S04 channel whose reader is gone",
     "a channel's queue segments as the path; bounded channels",
     "queued items per dump"),
    ("S05-timer", "S05 timers never disposed",
     "the runtime's timer queue as the root",
     "`timers` table (live timers by callback)"),
    ("S06-linked-cts", "S06 linked token sources never disposed",
     "a long-lived token's callback list grows per request",
     "`tokens` table (registrations per source)"),
    ("S07-blocked-workers", "S07 workers that wait for ever",
     "thread stacks as roots; `Signal` before `Wait`",
     "`threads` table (blocked threads and what they root)"),
    ("S08-native-handles", "S08 native memory and GC handles",
     "strong and pinned GC handles as roots; memory outside the GC heap",
     "`handles` and `memory` tables"),
    ("S09-handle-registry", "S09 interop handle registry without release",
     "a static id → object table across a language boundary",
     "registry entries per dump"),
    ("S10-pool", "S10 pooled objects never returned",
     "pool → pooled object → request data",
     "retained size of the pool"),
    ("S11-blocked-finalizer", "S11 blocked finalizer thread",
     "the f-reachable queue as the root; the finalizer thread's stack",
     "`finalizer` table (ready for finalization by type)"),
    ("S12-undisposed", "S12 resources never closed",
     "SafeHandle-owning objects that stay open",
     "`safehandles` table (open handles by type)"),
    ("S13-failed-release", "S13 exception path skips the release",
     "growth by exactly the failed operations; `try/finally`",
     "leases per dump"),
    ("S14-async-local", "S14 AsyncLocal captured by a long timer",
     "`ExecutionContext` → AsyncLocal value map in the path",
     "`timers` table (hour-long timers)"),
    ("S15-stack-frame", "S15 a frame keeps a large local",
     "a thread's frame, with thread and method named",
     "`threads` table (what the worker's frames root)"),
]

INTRO = """One notebook per leak scenario of the catalogue (S01–S15, `docs/scenarios.md`), each a complete
investigation you can rerun: it starts the bundled sample program (`sampledata/LeakLab.Sample`) in that scenario,
watches it live (counters and the GC timeline chart), takes a short dump series, lets `#!leaklab inspect` name the
cause, shows the evidence (retention path with field names, growth, retained size, the runtime table that matters),
queries it as SQL and a DataFrame, charts it, explains cause and fix, and finally runs the sample's `--fixed`
variant to show it clean. Each stops its samples at the end; if a cell fails, the kernel's exit (and the sample's
`--parent-pid`) stops them. `00-investigate.ipynb` is the blank one, for your own process."""

INDEX_NOTE = """Each entry: the notebook, its scenario, what it teaches, and its key chart or table."""

AFTER_INDEX = """Every S notebook also has the watch's GC timeline chart, the inspection's count-per-dump chart and
a growth chart."""

OPEN = """First, once per machine and after changing LeakLab, pack the notebook package into a local NuGet source (the
first code cell loads it with `#r "nuget: LeakLab.Interactive, 0.1.0-*"`); it takes about 1–2 minutes (a Release
build and a pack):"""

SAMPLE = """The notebooks start the sample program from `sampledata/LeakLab.Sample/bin/`, which any build of the
LeakLab CLI writes (the main README's set-up, `dotnet run --project src/LeakLab.Cli -- demo`, did); from a clone that
never built the CLI, build the sample once:"""

HOSTS = [
    """**VS Code Polyglot Notebooks**: install the *Polyglot Notebooks* extension, open a notebook from this folder
    (the repository must be the workspace, so the notebook finds the sample), pick the `.NET Interactive` kernel and
    C#, and *Run All*. Restart the kernel after re-packing.""",
    """**Jupyter**: `scripts/install-test-deps.sh` installs Debian's Jupyter, the `dotnet-interactive` kernel into
    `.tools/` and its `.net-csharp` kernelspec. Start Jupyter with the tool on PATH:""",
]

JUPYTER = """```bash
PATH="$PWD/.tools:$PATH" jupyter notebook notebooks/            # interactive
PATH="$PWD/.tools:$PATH" jupyter nbconvert --to notebook --execute \\
    --ExecutePreprocessor.kernel_name=.net-csharp notebooks/S05-timer.ipynb   # headless
```"""

HEADLESS = """**Headless reports**: `leaklab run notebooks/S05-timer.ipynb --html s05.html` writes one self-contained
report (the run's date and target, the prose, tables, paths, charts that draw offline) to mail or attach to a ticket;
`leaklab run notebooks/ --html reports/` runs every notebook (in parallel, up to the number of cores) into
`reports/` with an `index.html` linking each report with its status and duration (exit 1 if any failed)."""

FAST = """Notebooks are kept fast (two one-second-apart dumps, a three-second watch): a real investigation watches
longer and spaces its dumps by minutes of normal load."""

CHANGING = """The scenario notebooks share one template: `generate/make_notebooks.py` writes them (and
`00-investigate.ipynb`) from `generate/scenarios.py` (each scenario's story, evidence, fix, the type whose path to
show and the runtime table). Edit there, run `python3 notebooks/generate/make_notebooks.py`, and commit the
notebooks. This README comes from `generate/make_readme.py` (run `python3 notebooks/generate/make_readme.py`). The
tests (`NotebookHostsTests`) read a notebook's scenario from its file name (`SNN-…`) and expect its cells to print
`Cause: [SNN]` and `Fixed: no SNN finding`."""


def para(text, first="", rest=""):
    """One paragraph, its source line breaks dropped, wrapped to WIDTH; never breaks inside a word."""
    words = " ".join(line.strip() for line in text.strip().splitlines())
    return "\n".join(textwrap.wrap(words, WIDTH, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False))


def indented(block, indent):
    return "\n".join((indent + line) if line else line for line in block.splitlines())


def readme():
    parts = ["# LeakLab notebooks", para(INTRO), para(INDEX_NOTE)]
    parts.append("\n".join(
        para(f"[{stem}]({stem}.ipynb), {scenario}: {teaches}. Key chart or table: {chart}.", "- ", "  ")
        for stem, scenario, teaches, chart in NOTEBOOKS))
    parts += [para(AFTER_INDEX), "## Open them", para(OPEN),
              "```bash\nscripts/pack-notebook-package.sh\n```", para(SAMPLE),
              "```bash\ndotnet build sampledata/LeakLab.Sample -c Release\n```"]
    hosts = [para(HOSTS[0], "- ", "  "), para(HOSTS[1], "- ", "  ") + "\n\n" + indented(JUPYTER, "  "),
             para(HEADLESS, "- ", "  ")]
    parts.append("\n\n".join(hosts))
    parts += [para(FAST), "## Changing them", para(CHANGING)]
    return "\n\n".join(parts) + "\n"


def main():
    text = readme()
    wide = [line for line in text.splitlines() if len(line) > WIDTH]
    if wide:
        raise SystemExit(f"make_readme: {len(wide)} lines over {WIDTH} columns, first: {wide[0]}")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
