namespace NfOta.Pc.Net
{
    /// <summary>Where and how <see cref="MqttNetPort"/> reaches its broker. The credentials come from the platform adapter at Connect.</summary>
    public sealed class MqttNetPortOptions
    {
        public string Host { get; set; } = "127.0.0.1";

        public int Port { get; set; } = 1883;

        /// <summary>Connect over TLS (MQTTS, usually port 8883).</summary>
        public bool UseTls { get; set; }

        /// <summary>Accept a server certificate that does not validate (self-signed test brokers only).</summary>
        public bool AllowUntrustedCertificates { get; set; }

        /// <summary>Server name checked against the certificate; defaults to <see cref="Host"/>.</summary>
        public string TlsTargetHost { get; set; }

        /// <summary>How long Connect waits for CONNACK before giving up.</summary>
        public int ConnectTimeoutMs { get; set; } = 10000;

        /// <summary>How long Subscribe, a QoS 1 Publish and Disconnect wait for the broker.</summary>
        public int OperationTimeoutMs { get; set; } = 10000;

        /// <summary>MQTT keep-alive; the broker drops a silent client after 1.5 times this.</summary>
        public int KeepAliveSeconds { get; set; } = 60;
    }
}
