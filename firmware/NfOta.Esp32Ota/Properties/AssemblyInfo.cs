// nf-ota: assembly attributes of the NfOta.Esp32Ota interop library.
// Format verified against nanoframework/Samples samples/Interop/awesome-library/Properties/AssemblyInfo.cs:
// AssemblyNativeVersion is what nanoCLR compares with the native side's version ({ 1, 0, 0, 0 } in the
// generated NfOta_Esp32Ota.cpp); bump both together whenever a native signature changes.

[assembly: System.Reflection.AssemblyTitle("NfOta.Esp32Ota")]
[assembly: System.Reflection.AssemblyDescription("ESP-IDF OTA partitions and boot control for nanoCLR (nf-ota interop library)")]
[assembly: System.Reflection.AssemblyConfiguration("")]
[assembly: System.Reflection.AssemblyCompany("")]
[assembly: System.Reflection.AssemblyProduct("nf-ota")]
[assembly: System.Reflection.AssemblyCopyright("")]
[assembly: System.Reflection.AssemblyTrademark("")]
[assembly: System.Reflection.AssemblyCulture("")]
[assembly: System.Runtime.InteropServices.ComVisible(false)]
[assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
[assembly: System.Reflection.AssemblyFileVersion("1.0.0.0")]

////////////////////////////////////////////////////////////////
// update this whenever the native assembly signature changes //
[assembly: System.Reflection.AssemblyNativeVersion("1.0.0.0")]
////////////////////////////////////////////////////////////////
