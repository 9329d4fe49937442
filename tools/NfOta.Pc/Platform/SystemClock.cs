using System.Diagnostics;
using System.Threading;
using NfOta.Ports;

namespace NfOta.Pc.Platform
{
    /// <summary><see cref="IClock"/> on the PC's monotonic clock (Stopwatch), never the wall clock.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly Stopwatch _uptime = Stopwatch.StartNew();

        public long UptimeMs => _uptime.ElapsedMilliseconds;

        public void Sleep(int milliseconds)
        {
            if (milliseconds > 0)
            {
                Thread.Sleep(milliseconds);
            }
        }
    }
}
