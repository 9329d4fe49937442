namespace NfOta.Settings
{
    /// <summary>
    /// Everything a device needs to update from its platform, read from one JSON settings file
    /// (see SettingsParser and the README's schema). Defaults are the values a field takes when the
    /// file leaves it out.
    /// </summary>
    public sealed class DeviceSettings
    {
        // platform: "thingsboard", "alibaba", "tencent", "enos", "golioth" or "selfhosted"
        public string Platform;

        // broker
        public string BrokerHost;
        public int BrokerPort = 1883;
        public bool BrokerTls;
        /// <summary>PEM of the CA that signs the broker's certificate, or a path on the board to one.</summary>
        public string BrokerCaCertificate;
        public string ClientId;
        public string Username;
        public string Password;

        // identity, each platform uses its own subset
        public string ProductKey;     // Alibaba productKey, EnOS productKey, Tencent productID
        public string DeviceName;     // Alibaba/Tencent deviceName, EnOS deviceKey, self-hosted device id
        public string DeviceSecret;   // Alibaba/Tencent/EnOS device secret, for the MQTT password signature
        public string AccessToken;    // ThingsBoard device access token
        public string Package = "main"; // Golioth package / ThingsBoard fw_title of this firmware

        // download
        /// <summary>
        /// Base URL that a platform's relative firmware path is resolved against (EnOS sends fileUrl as
        /// "/1b30e0ea83002000/ota/kadak13"); null leaves relative paths unresolvable.
        /// </summary>
        public string DownloadBaseUrl;
        public int ChunkSize = 4096;
        public int Window = 4;
        public int Retries = 5;
        public int TimeoutMs = 10000;
        public int CheckpointBytes = 65536;

        // progress reporting throttle
        public int ProgressStepPercent = 5;
        public int ProgressIntervalMs = 2000;

        // trial boot
        public int SelfTestTimeoutSeconds = 60;

        // security
        public bool RequireTls;
        /// <summary>Hosts an image URL may name; empty allows any.</summary>
        public string[] AllowedHosts = new string[0];
        public bool AllowDowngrade;
        /// <summary>Base64 Ed25519 public key; when set, only images signed by its private key are installed.</summary>
        public string SigningPublicKey;
    }
}
