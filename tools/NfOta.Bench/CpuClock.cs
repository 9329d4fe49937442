using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NfOta.Bench
{
    /// <summary>
    /// Seconds of CPU spent by the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)), so
    /// figures stay comparable on a busy machine; elsewhere falls back to wall-clock time.
    /// </summary>
    public static class CpuClock
    {
        private const int ClockThreadCpuTime = 3;

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out Timespec time);

        public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

        public static string Kind => IsCpuTime ? "thread CPU time" : "wall-clock time";

        public static double Now()
        {
            if (IsCpuTime && ClockGetTime(ClockThreadCpuTime, out Timespec t) == 0)
            {
                return t.Seconds + t.Nanoseconds / 1e9;
            }

            return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        }

        private static bool Probe()
        {
            try
            {
                return ClockGetTime(ClockThreadCpuTime, out _) == 0;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
