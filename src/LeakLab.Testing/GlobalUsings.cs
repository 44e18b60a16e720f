// LeakLab namespaces follow the folders (DEVELOPERS.md, "Namespaces"); these are the ones this project and the projects it
// references declare, imported once here so a file names its own usings only for other libraries.
global using LeakLab.Capture;
global using LeakLab.Capture.EventPipe;
global using LeakLab.Capture.EventPipe.Internal;
global using LeakLab.Capture.Linux;
global using LeakLab.Capture.Live;
global using LeakLab.Core.Analysis;
global using LeakLab.Core.Errors;
global using LeakLab.Core.Files;
global using LeakLab.Core.Graph;
global using LeakLab.Core.Graph.Index;
global using LeakLab.Core.Inspections;
global using LeakLab.Core.Inspections.Runtime;
global using LeakLab.Core.Loading;
global using LeakLab.Core.TypeNames;
global using LeakLab.Dumps;
global using LeakLab.Dumps.Benchmarks;
global using LeakLab.Dumps.Internal;
global using LeakLab.Dumps.Runtime;
global using LeakLab.Presentation.Charts;
global using LeakLab.Presentation.Html;
global using LeakLab.Presentation.Json;
global using LeakLab.Presentation.Text;
global using LeakLab.Testing;
global using LeakLab.Testing.Internal;
