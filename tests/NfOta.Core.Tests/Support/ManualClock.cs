using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>A clock that only moves when told (or when slept on): tests of timeouts never wait.</summary>
    public sealed class ManualClock : IClock
    {
        public long Now;
        public long Slept;

        public long UptimeMs { get { return Now; } }

        public void Sleep(int milliseconds)
        {
            Now += milliseconds;
            Slept += milliseconds;
        }

        public void Advance(int milliseconds)
        {
            Now += milliseconds;
        }
    }
}
