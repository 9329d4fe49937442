// nf-ota: IClock on an ESP32 running nanoFramework.
//
// Verified against:
// - nanoframework/nanoFramework.Hardware.Esp32 v1.6.40 nanoFramework.Hardware.Esp32/HighResTimer.cs:
//   public static UInt64 GetCurrent() - "the number of micro seconds since boot"; nf-interpreter
//   targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/nanoFramework_hardware_esp32_native_Hardware_Esp32_HighResTimer.cpp
//   implements it with esp_timer_get_time(), which is monotonic (wall time, which SNTP moves, is not used).
// - nanoframework/CoreLibrary v1.17.11 System/Threading/Thread.cs: public static extern void Sleep(int).
// (System.Environment.TickCount64 from nanoFramework.Runtime.Native would do as well; it is not used so the
// bindings stay inside what tools/NfOta.SubsetCheck knows of the base library.)

using System.Threading;
using nanoFramework.Hardware.Esp32;
using NfOta.Ports;

namespace NfOta.Device.Bindings
{
    /// <summary>Uptime in milliseconds and a blocking sleep.</summary>
    public sealed class DeviceClock : IClock
    {
        public long UptimeMs
        {
            get { return (long)(HighResTimer.GetCurrent() / 1000); }
        }

        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
