// LeakLab namespaces follow the folders (DEVELOPERS.md, "Namespaces"); these are the ones this project and the projects it
// references declare, imported once here so a file names its own usings only for other libraries.
global using LeakLab.Core.Graph;
global using LeakLab.Core.TypeNames;
global using LeakLab.DacReader;
global using LeakLab.Dumps.Internal;
