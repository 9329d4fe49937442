// nf-ota: assembly attributes of the NfOta.Esp32Ota interop library.
// Format verified against nanoframework/Samples samples/Interop/awesome-library/Properties/AssemblyInfo.cs:
// AssemblyNativeVersion is what nanoCLR compares with the native side's version ({ 1, 0, 0, 0 } in the
// generated NfOta_Esp32Ota.cpp); bump both together whenever a native signature changes.

using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NfOta.Esp32Ota")]
[assembly: AssemblyDescription("ESP-IDF OTA partitions and boot control for nanoCLR (nf-ota interop library)")]
[assembly: AssemblyConfiguration("")]
[assembly: AssemblyCompany("")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyCopyright("")]
[assembly: AssemblyTrademark("")]
[assembly: AssemblyCulture("")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]

////////////////////////////////////////////////////////////////
// update this whenever the native assembly signature changes //
[assembly: AssemblyNativeVersion("1.0.0.0")]
////////////////////////////////////////////////////////////////
