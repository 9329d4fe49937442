using System;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// One status message a device sent, as a stand-in server understood it: the platform's own state
    /// word (fw_state, step, state...), a percent where the platform gives one, the version the device
    /// says it runs, and the raw topic and payload.
    /// </summary>
    public sealed record DeviceReport(
        string Platform,
        string State,
        int? Percent,
        string Version,
        string Error,
        string Topic,
        string Payload)
    {
        /// <summary>True when this report says the update failed, in the platform's own terms.</summary>
        public bool IsFailure { get; init; }

        /// <summary>True when this report says the device now runs the released version.</summary>
        public bool IsSuccess { get; init; }

        public override string ToString() =>
            $"{Platform} {State}{(Percent is int p ? " " + p + "%" : "")}{(Version != null ? " v" + Version : "")}{(Error != null ? " (" + Error + ")" : "")}";
    }

    /// <summary>
    /// The platform's side of an update, played locally against any broker: announces a released
    /// image, serves its bytes (MQTT chunks or an HTTP range server), and surfaces every report the
    /// device sends. One per platform, all with this shape, so the demo, `nf-ota serve` and the
    /// integration tests drive every platform the same way.
    /// </summary>
    public interface IPlatformServer : IDisposable
    {
        string Platform { get; }

        /// <summary>Connects to the broker and starts answering the device.</summary>
        void Start(string brokerHost, int brokerPort);

        /// <summary>
        /// Releases an image: announces it now (a device that is online hears it at once) and keeps it
        /// as the pending update for a device that connects later and asks.
        /// </summary>
        void Release(PackagedImage image);

        /// <summary>
        /// Serve corrupted bytes (one byte flipped) while announcing the true digest, so the device must
        /// refuse the image. Set before <see cref="Release"/>.
        /// </summary>
        bool CorruptImage { get; set; }

        /// <summary>Every report the device sends, as it arrives (on a server thread).</summary>
        event Action<DeviceReport> ReportReceived;
    }
}
