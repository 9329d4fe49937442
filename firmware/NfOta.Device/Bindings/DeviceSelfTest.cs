// nf-ota: the self-test a new image runs on its trial boot, before it confirms itself.
//
// Verified against:
// - firmware/NfOta.Core/Agent/AgentTypes.cs (this repository): ISelfTest.Run(out string reason).
// - nanoframework/nanoFramework.Hardware.Esp32 v1.6.40 nanoFramework.Hardware.Esp32/NativeMemory.cs:
//   public static void GetMemoryInfo(MemoryType memType, out UInt32 totalSize, out UInt32 totalFreeSize,
//   out UInt32 largestFreeBlock); enum MemoryType { All, Internal, SpiRam }.

using System;
using nanoFramework.Hardware.Esp32;
using NfOta.Agent;
using NfOta.Ports;
using NfOta.Protocols;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// Keeps a new image only if it can still be updated: it must reach the platform's broker with the
    /// platform's credentials, and have enough free native memory left for TLS. An application adds its
    /// own checks through <see cref="Application"/>.
    /// </summary>
    public sealed class DeviceSelfTest : ISelfTest
    {
        /// <summary>mbedTLS needs about this much contiguous native heap for one TLS session.</summary>
        public const uint MinLargestFreeBlock = 40 * 1024;

        private const int RetryDelayMs = 5000;

        private readonly IMqttPort _mqtt;
        private readonly IPlatformAdapter _adapter;
        private readonly IClock _clock;
        private readonly int _budgetMs;

        /// <param name="budgetMs">
        /// How long the broker may take to answer, retries included. Keep it below the agent's self-test
        /// timeout (settings selfTestTimeoutSeconds): one M2Mqtt connect attempt can take 30 s to time out.
        /// </param>
        public DeviceSelfTest(IMqttPort mqtt, IPlatformAdapter adapter, IClock clock, int budgetMs)
        {
            _mqtt = mqtt;
            _adapter = adapter;
            _clock = clock;
            _budgetMs = budgetMs;
        }

        /// <summary>The application's own check, run after the built-in ones; null when there is none.</summary>
        public ISelfTest Application { get; set; }

        public bool Run(out string reason)
        {
            uint total;
            uint free;
            uint largest;
            NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.Internal, out total, out free, out largest);
            if (largest < MinLargestFreeBlock)
            {
                reason = "largest free native memory block is " + largest.ToString() + " bytes";
                return false;
            }

            MqttCredentials credentials = _adapter.GetCredentials();
            long deadline = _clock.UptimeMs + _budgetMs;
            bool connected = _mqtt.Connect(credentials.ClientId, credentials.Username, credentials.Password);
            while (!connected && _clock.UptimeMs + RetryDelayMs < deadline)
            {
                _clock.Sleep(RetryDelayMs);
                connected = _mqtt.Connect(credentials.ClientId, credentials.Username, credentials.Password);
            }

            if (!connected)
            {
                reason = "cannot reach the broker, so this image could never be updated again";
                return false;
            }

            // the agent makes its own connection with subscriptions
            _mqtt.Disconnect();

            if (Application != null)
            {
                return Application.Run(out reason);
            }

            reason = null;
            return true;
        }
    }
}
