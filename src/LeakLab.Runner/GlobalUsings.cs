// LeakLab namespaces follow the folders (DEVELOPERS.md, "Namespaces"); these are the ones this project and the projects it
// references declare, imported once here so a file names its own usings only for other libraries.
global using LeakLab.Core.Analysis;
global using LeakLab.Core.Errors;
global using LeakLab.Core.Files;
global using LeakLab.Core.Graph;
global using LeakLab.Core.Graph.Index;
global using LeakLab.Core.Inspections;
global using LeakLab.Core.Inspections.Runtime;
global using LeakLab.Core.Loading;
global using LeakLab.Core.TypeNames;
global using LeakLab.Presentation.Charts;
global using LeakLab.Presentation.Html;
global using LeakLab.Presentation.Json;
global using LeakLab.Presentation.Text;
global using LeakLab.Runner;
global using LeakLab.Runner.Documents;
global using LeakLab.Runner.Execution;
global using LeakLab.Runner.Report;
