namespace NfOta.Ports
{
    /// <summary>Monotonic time and waiting, so that timeouts and back-off can be tested without real time.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards.</summary>
        long UptimeMs { get; }

        void Sleep(int milliseconds);
    }
}
