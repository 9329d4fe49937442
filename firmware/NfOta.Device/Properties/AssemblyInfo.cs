// nf-ota: assembly attributes (nanoFramework projects carry them in Properties/AssemblyInfo.cs, as
// nanoframework/Samples projects do). Excluded from the .NET build of the core (tools/NfOta.Core.Pc).

[assembly: System.Reflection.AssemblyTitle("NfOta.Device")]
[assembly: System.Reflection.AssemblyDescription("")]
[assembly: System.Reflection.AssemblyConfiguration("")]
[assembly: System.Reflection.AssemblyCompany("")]
[assembly: System.Reflection.AssemblyProduct("nf-ota")]
[assembly: System.Reflection.AssemblyCopyright("")]
[assembly: System.Reflection.AssemblyTrademark("")]
[assembly: System.Reflection.AssemblyCulture("")]
[assembly: System.Runtime.InteropServices.ComVisible(false)]

// For NfOta.Device this is the version the agent reports when it updates the deployment:
// raise it for every release you upload to the platform.
[assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
[assembly: System.Reflection.AssemblyFileVersion("1.0.0.0")]
