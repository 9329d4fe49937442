// nf-ota: IClock on nanoFramework.
//
// Verified against:
// - nanoframework/nanoFramework.Runtime.Native v1.7.11 nanoFramework.Runtime.Native/System/Environment.cs:
//   public static extern long TickCount64 { get; } (namespace System); nf-interpreter
//   src/nanoFramework.Runtime.Native/nf_rt_native_System_Environment.cpp computes it from
//   CLR_RT_ExecutionEngine::GetUptime(), so it is monotonic milliseconds since boot (not wall time,
//   which SNTP may move).
// - nanoframework/CoreLibrary v1.17.11 System/Threading/Thread.cs: public static extern void Sleep(int).

using System;
using System.Threading;
using NfOta.Ports;

namespace NfOta.Device.Bindings
{
    /// <summary>Uptime in milliseconds and a blocking sleep.</summary>
    public sealed class DeviceClock : IClock
    {
        public long UptimeMs
        {
            get { return Environment.TickCount64; }
        }

        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
