using System;
using System.Diagnostics;
using System.IO;

namespace NfOta.Host.Tests.Tool
{
    /// <summary>The nf-ota command as a separate process, built next to the tests (the test project references it).</summary>
    internal static class NfOtaProcess
    {
        public static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nf-ota.dll"));
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            return start;
        }
    }
}
