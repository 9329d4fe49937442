namespace NfOta.Ports
{
    /// <summary>Called for every message that arrives on a subscribed topic.</summary>
    public delegate void MqttMessageHandler(string topic, byte[] payload);

    /// <summary>Called when the connection to the broker is lost.</summary>
    public delegate void MqttDisconnectedHandler(string reason);

    /// <summary>
    /// The broker connection as the core needs it: connect with credentials the platform adapter
    /// computed, subscribe, publish, and hear messages. Host, port and TLS come from the binding's
    /// own configuration, so the core never holds sockets or certificates.
    /// Bindings: nanoFramework.M2Mqtt on the device, MQTTnet on a PC.
    /// </summary>
    public interface IMqttPort
    {
        bool IsConnected { get; }

        /// <summary>Connects (clean session). Returns false, never throws, when the broker cannot be reached or refuses.</summary>
        bool Connect(string clientId, string username, string password);

        void Disconnect();

        /// <summary>Subscribes at QoS 1. Returns false when the broker is not connected or refuses.</summary>
        bool Subscribe(string topicFilter);

        /// <summary>Publishes at QoS 0 or 1. Returns false when not connected.</summary>
        bool Publish(string topic, byte[] payload, int qos);

        /// <summary>Raised on the binding's receive thread; the agent only queues the message.</summary>
        event MqttMessageHandler MessageReceived;

        event MqttDisconnectedHandler Disconnected;
    }
}
