// nf-ota: assembly attributes of the nanoFramework unit test assembly (tests/NfOta.Core.Tests/NfOta.Core.Tests.nfproj).
// Excluded from tests/Host/NfOta.Host.Tests, which compiles the same test sources for .NET.

[assembly: System.Reflection.AssemblyTitle("NfOta.Core.Tests")]
[assembly: System.Reflection.AssemblyDescription("")]
[assembly: System.Reflection.AssemblyProduct("nf-ota")]
[assembly: System.Runtime.InteropServices.ComVisible(false)]
[assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
[assembly: System.Reflection.AssemblyFileVersion("1.0.0.0")]
