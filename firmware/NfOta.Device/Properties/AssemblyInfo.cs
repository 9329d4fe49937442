// nf-ota: assembly attributes (nanoFramework projects carry them in Properties/AssemblyInfo.cs, as
// nanoframework/Samples projects do). Excluded from the .NET build of the core (tools/NfOta.Core.Pc).

using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NfOta.Device")]
[assembly: AssemblyDescription("")]
[assembly: AssemblyConfiguration("")]
[assembly: AssemblyCompany("")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyCopyright("")]
[assembly: AssemblyTrademark("")]
[assembly: AssemblyCulture("")]
[assembly: ComVisible(false)]

// For NfOta.Device this is the version the agent reports when it updates the deployment:
// raise it for every release you upload to the platform.
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
