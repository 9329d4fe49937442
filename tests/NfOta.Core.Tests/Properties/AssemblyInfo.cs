// nf-ota: assembly attributes of the nanoFramework unit test assembly (tests/NfOta.Core.Tests/NfOta.Core.Tests.nfproj).
// Excluded from tests/Host/NfOta.Host.Tests, which compiles the same test sources for .NET.

using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NfOta.Core.Tests")]
[assembly: AssemblyDescription("")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
