using System;

namespace NfOta.Pc.Net
{
    /// <summary>An MQTT broker the PC tools and tests can start on loopback: MQTTnet's in-process server or mosquitto.</summary>
    public interface IBroker : IDisposable
    {
        /// <summary>A short name for reports, such as "embedded" or "mosquitto".</summary>
        string Name { get; }

        string Host { get; }

        int Port { get; }

        /// <summary>Stops the broker, dropping every client, and starts it again on the same port.</summary>
        void Restart();
    }
}
