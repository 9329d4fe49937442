using NfOta.Agent;

namespace NfOta.Protocols
{
    /// <summary>Where adapters send messages; the agent implements it over the MQTT port.</summary>
    public interface IPublisher
    {
        bool Publish(string topic, byte[] payload, int qos);
    }

    /// <summary>The MQTT identity a platform expects, computed from the device settings.</summary>
    public sealed class MqttCredentials
    {
        public string ClientId;
        public string Username;
        public string Password;
    }

    /// <summary>
    /// One platform's OTA wire format, and nothing else: topics, payloads, codes. The agent owns the
    /// lifecycle, the download, hashing, flash and boot decisions, which every platform shares.
    /// An adapter never throws on bad input: it answers <see cref="InboundKind.Malformed"/>.
    /// </summary>
    public interface IPlatformAdapter
    {
        /// <summary>The settings' name of the platform, such as "thingsboard".</summary>
        string Name { get; }

        MqttCredentials GetCredentials();

        /// <summary>Topic filters to subscribe after every connect.</summary>
        string[] SubscribeTopics { get; }

        /// <summary>
        /// Runs after every connect and subscribe: reports the running version the platform's way and
        /// asks for a pending update where the platform can be asked, so a device that was offline
        /// when an update was released still gets it.
        /// </summary>
        void OnConnected(string runningVersion, IPublisher publisher);

        /// <summary>
        /// Classifies one inbound message into <paramref name="result"/> (cleared first). Messages for
        /// other devices, or replies the agent does not need, are <see cref="InboundKind.Ignored"/>.
        /// Request/reply protocols send their reply through <paramref name="publisher"/> here.
        /// </summary>
        void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher);

        /// <summary>Sends one status report in the platform's format.</summary>
        void Report(StatusReport report, IPublisher publisher);

        /// <summary>
        /// For <see cref="DownloadSource.MqttChunks"/> platforms: asks for chunk <paramref name="index"/>
        /// of <paramref name="chunkSize"/> bytes. Returns false when the platform has no such request.
        /// </summary>
        bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher);
    }
}
