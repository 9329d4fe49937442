using System;
using System.Collections;
using System.Text;
using NfOta.Json;

namespace NfOta.Settings
{
    /// <summary>
    /// Reads the device's JSON settings file (schema in docs/settings.md) into <see cref="DeviceSettings"/>.
    /// Strict on purpose: a settings mistake found on the bench is cheap, one found after a fleet stopped
    /// updating is not. Unknown fields (typos), wrong types and out-of-range values are errors; fields
    /// left out, or set to null, keep their defaults. Never throws: every failure is a result whose Error
    /// is one line naming the field.
    /// </summary>
    public static class SettingsParser
    {
        public const string Thingsboard = "thingsboard";
        public const string Alibaba = "alibaba";
        public const string Tencent = "tencent";
        public const string Enos = "enos";
        public const string Golioth = "golioth";
        public const string SelfHosted = "selfhosted";

        public const int MinChunkSize = 256;
        public const int MaxChunkSize = 65536;
        public const int MaxWindow = 32;

        private const int MaxText = 256;      // identity values, host names, client id, user name
        private const int MaxSecret = 1024;   // passwords and tokens
        private const int MaxPem = 16384;     // a CA certificate in PEM (or a path to one)

        private static readonly string[] Sections = { "platform", "broker", "identity", "download", "progress", "selfTest", "security" };
        private static readonly string[] BrokerFields = { "host", "port", "tls", "caCertificate", "clientId", "username", "password" };
        private static readonly string[] IdentityFields = { "productKey", "deviceName", "deviceSecret", "accessToken", "package" };
        private static readonly string[] DownloadFields = { "baseUrl", "chunkSize", "window", "retries", "timeoutMs", "checkpointBytes" };
        private static readonly string[] ProgressFields = { "stepPercent", "intervalMs" };
        private static readonly string[] SelfTestFields = { "timeoutSeconds" };
        private static readonly string[] SecurityFields = { "requireTls", "allowedHosts", "allowDowngrade", "signingPublicKey" };

        public static SettingsResult Parse(string json)
        {
            if (json == null) return SettingsResult.Failure("settings: no settings text");
            byte[] utf8;
            try
            {
                utf8 = Encoding.UTF8.GetBytes(json);
            }
            catch (Exception)
            {
                return SettingsResult.Failure("settings: text is not valid UTF-16");
            }
            return Parse(utf8);
        }

        public static SettingsResult Parse(byte[] utf8)
        {
            if (utf8 == null || utf8.Length == 0) return SettingsResult.Failure("settings: no settings text");
            try
            {
                return new Reader().Read(utf8);
            }
            catch (Exception)
            {
                // Not expected; the promise is a result, never an exception.
                return SettingsResult.Failure("settings: could not be read");
            }
        }

        /// <summary>One pass over one document; keeps the first error.</summary>
        private sealed class Reader
        {
            private string _error;
            private readonly DeviceSettings _s = new DeviceSettings();

            public SettingsResult Read(byte[] utf8)
            {
                string jsonError;
                object root = JsonReader.Parse(utf8, out jsonError);
                if (root == null) return SettingsResult.Failure("settings: not valid JSON: " + OneLine(jsonError, 120));
                var top = root as Hashtable;
                if (top == null) return SettingsResult.Failure("settings: must be a JSON object");

                CheckFields(top, Sections, null);
                ReadPlatform(top);
                Hashtable broker = Section(top, "broker", true);
                Hashtable identity = Section(top, "identity", false);
                Hashtable download = Section(top, "download", false);
                Hashtable progress = Section(top, "progress", false);
                Hashtable selfTest = Section(top, "selfTest", false);
                Hashtable security = Section(top, "security", false);
                if (_error != null) return SettingsResult.Failure(_error);

                CheckFields(broker, BrokerFields, "broker");
                _s.BrokerHost = Text(broker, "broker", "host", _s.BrokerHost, MaxText, true);
                if (_s.BrokerHost != null && HasSpaceOrSlash(_s.BrokerHost)) Fail("broker.host must be a host name or address, without scheme, path or spaces");
                _s.BrokerTls = Flag(broker, "broker", "tls", _s.BrokerTls);
                _s.BrokerPort = Number(broker, "broker", "port", _s.BrokerTls ? 8883 : 1883, 1, 65535);
                _s.BrokerCaCertificate = Text(broker, "broker", "caCertificate", _s.BrokerCaCertificate, MaxPem, false);
                _s.ClientId = Text(broker, "broker", "clientId", _s.ClientId, MaxText, false);
                _s.Username = Text(broker, "broker", "username", _s.Username, MaxText, false);
                _s.Password = Text(broker, "broker", "password", _s.Password, MaxSecret, false);

                CheckFields(identity, IdentityFields, "identity");
                _s.ProductKey = Text(identity, "identity", "productKey", _s.ProductKey, MaxText, false);
                _s.DeviceName = Text(identity, "identity", "deviceName", _s.DeviceName, MaxText, false);
                _s.DeviceSecret = Text(identity, "identity", "deviceSecret", _s.DeviceSecret, MaxSecret, false);
                _s.AccessToken = Text(identity, "identity", "accessToken", _s.AccessToken, MaxSecret, false);
                _s.Package = Text(identity, "identity", "package", _s.Package, MaxText, false);
                TopicSafe(_s.ProductKey, "identity.productKey");
                TopicSafe(_s.DeviceName, "identity.deviceName");
                TopicSafe(_s.Package, "identity.package");
                TopicSafe(_s.ClientId, "broker.clientId");

                CheckFields(download, DownloadFields, "download");
                _s.DownloadBaseUrl = Text(download, "download", "baseUrl", _s.DownloadBaseUrl, MaxText, false);
                if (_s.DownloadBaseUrl != null && !IsHttpUrl(_s.DownloadBaseUrl)) Fail("download.baseUrl must be an http:// or https:// URL without spaces");
                _s.ChunkSize = Number(download, "download", "chunkSize", _s.ChunkSize, MinChunkSize, MaxChunkSize);
                _s.Window = Number(download, "download", "window", _s.Window, 1, MaxWindow);
                _s.Retries = Number(download, "download", "retries", _s.Retries, 0, 100);
                _s.TimeoutMs = Number(download, "download", "timeoutMs", _s.TimeoutMs, 100, 600000);
                _s.CheckpointBytes = Number(download, "download", "checkpointBytes", _s.CheckpointBytes, 1024, 16 * 1024 * 1024);

                CheckFields(progress, ProgressFields, "progress");
                _s.ProgressStepPercent = Number(progress, "progress", "stepPercent", _s.ProgressStepPercent, 1, 100);
                _s.ProgressIntervalMs = Number(progress, "progress", "intervalMs", _s.ProgressIntervalMs, 0, 3600000);

                CheckFields(selfTest, SelfTestFields, "selfTest");
                _s.SelfTestTimeoutSeconds = Number(selfTest, "selfTest", "timeoutSeconds", _s.SelfTestTimeoutSeconds, 5, 3600);

                CheckFields(security, SecurityFields, "security");
                _s.RequireTls = Flag(security, "security", "requireTls", _s.RequireTls);
                _s.AllowDowngrade = Flag(security, "security", "allowDowngrade", _s.AllowDowngrade);
                ReadAllowedHosts(security);
                _s.SigningPublicKey = Text(security, "security", "signingPublicKey", _s.SigningPublicKey, 64, false);
                if (_s.SigningPublicKey != null && !IsBase64Of32Bytes(_s.SigningPublicKey))
                {
                    Fail("security.signingPublicKey must be the base64 of a 32-byte Ed25519 public key");
                }

                CheckPlatformNeeds();
                if (_s.RequireTls && !_s.BrokerTls) Fail("broker.tls must be true when security.requireTls is true");

                return _error == null ? SettingsResult.Success(_s) : SettingsResult.Failure(_error);
            }

            private void Fail(string message)
            {
                if (_error == null) _error = "settings: " + message;
            }

            private void ReadPlatform(Hashtable top)
            {
                object v = top["platform"];
                if (v == null || v is JsonNull)
                {
                    Fail("platform is required: thingsboard, alibaba, tencent, enos, golioth or selfhosted");
                    return;
                }
                var p = v as string;
                if (p == Thingsboard || p == Alibaba || p == Tencent || p == Enos || p == Golioth || p == SelfHosted)
                {
                    _s.Platform = p;
                    return;
                }
                Fail("platform must be one of thingsboard, alibaba, tencent, enos, golioth, selfhosted");
            }

            /// <summary>The identity fields each platform signs in with (see docs/settings.md).</summary>
            private void CheckPlatformNeeds()
            {
                if (_error != null) return;
                string p = _s.Platform;
                if (p == Thingsboard)
                {
                    Require(_s.AccessToken, "identity.accessToken");
                }
                else if (p == Alibaba || p == Tencent || p == Enos)
                {
                    Require(_s.ProductKey, "identity.productKey");
                    Require(_s.DeviceName, "identity.deviceName");
                    Require(_s.DeviceSecret, "identity.deviceSecret");
                }
                else if (p == Golioth)
                {
                    // Golioth authenticates with a PSK: the PSK-ID ("device@project") as MQTT user name, the PSK as password.
                    Require(_s.Username, "broker.username");
                    Require(_s.Password, "broker.password");
                }
                else if (p == SelfHosted)
                {
                    // The self-hosted adapter names its topics after the device, or its client id.
                    if (_s.ClientId == null) Require(_s.DeviceName, "identity.deviceName (or broker.clientId)");
                }
            }

            /// <summary>These values become MQTT topic levels, where '/', '+' and '#' have meanings.</summary>
            private void TopicSafe(string value, string field)
            {
                if (value == null) return;
                for (int i = 0; i < value.Length; i++)
                {
                    char c = value[i];
                    if (c <= ' ' || c == '/' || c == '+' || c == '#' || c == 0x7F)
                    {
                        Fail(field + " must not contain '/', '+', '#' or spaces");
                        return;
                    }
                }
            }

            private void Require(string value, string field)
            {
                if (value == null || value.Length == 0) Fail(field + " is required for platform " + _s.Platform);
            }

            private Hashtable Section(Hashtable top, string name, bool required)
            {
                object v = top[name];
                if (v == null || v is JsonNull)
                {
                    if (required) Fail(name + " is required");
                    return null;
                }
                var h = v as Hashtable;
                if (h == null) Fail(name + " must be an object");
                return h;
            }

            /// <summary>Reports the first unknown field (in ordinal order, so the message is stable).</summary>
            private void CheckFields(Hashtable obj, string[] known, string section)
            {
                if (obj == null || _error != null) return;
                string first = null;
                foreach (DictionaryEntry e in obj)
                {
                    var key = (string)e.Key;
                    bool ok = false;
                    for (int i = 0; i < known.Length; i++)
                    {
                        if (known[i] == key)
                        {
                            ok = true;
                            break;
                        }
                    }
                    if (!ok && (first == null || string.Compare(key, first) < 0)) first = key;
                }
                if (first == null) return;
                string where = section == null ? "" : section + ".";
                Fail("unknown field " + where + OneLine(first, 40) + " (known: " + List(known) + ")");
            }

            private string Text(Hashtable obj, string section, string name, string fallback, int maxLength, bool required)
            {
                if (_error != null) return fallback;
                object v = obj == null ? null : obj[name];
                if (v == null || v is JsonNull)
                {
                    if (required) Fail(section + "." + name + " is required");
                    return fallback;
                }
                var s = v as string;
                if (s == null || s.Length == 0 || s.Length > maxLength)
                {
                    Fail(section + "." + name + " must be a non-empty string of at most " + maxLength + " characters");
                    return fallback;
                }
                return s;
            }

            private int Number(Hashtable obj, string section, string name, int fallback, int min, int max)
            {
                if (_error != null) return fallback;
                object v = obj == null ? null : obj[name];
                if (v == null || v is JsonNull) return fallback;
                if (v is long)
                {
                    long n = (long)v;
                    if (n >= min && n <= max) return (int)n;
                }
                Fail(section + "." + name + " must be a number from " + min + " to " + max);
                return fallback;
            }

            private bool Flag(Hashtable obj, string section, string name, bool fallback)
            {
                if (_error != null) return fallback;
                object v = obj == null ? null : obj[name];
                if (v == null || v is JsonNull) return fallback;
                if (v is bool) return (bool)v;
                Fail(section + "." + name + " must be true or false");
                return fallback;
            }

            private void ReadAllowedHosts(Hashtable security)
            {
                if (_error != null || security == null) return;
                object v = security["allowedHosts"];
                if (v == null || v is JsonNull) return;
                var list = v as ArrayList;
                if (list == null || list.Count > 64)
                {
                    Fail("security.allowedHosts must be an array of at most 64 host names");
                    return;
                }
                var hosts = new string[list.Count];
                for (int i = 0; i < hosts.Length; i++)
                {
                    var h = list[i] as string;
                    if (h == null || h.Length == 0 || h.Length > MaxText || HasSpaceOrSlash(h))
                    {
                        Fail("security.allowedHosts[" + i + "] must be a host name, without scheme, path or spaces");
                        return;
                    }
                    hosts[i] = h.ToLower();
                }
                _s.AllowedHosts = hosts;
            }
        }

        private static bool HasSpaceOrSlash(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c <= ' ' || c == '/' || c == '\\' || c == 0x7F) return true;
            }
            return false;
        }

        private static bool IsHttpUrl(string s)
        {
            int scheme = s.StartsWith("https://") ? 8 : (s.StartsWith("http://") ? 7 : 0);
            if (scheme == 0 || s.Length == scheme) return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] <= ' ' || s[i] == 0x7F) return false;
            }
            return s[scheme] != '/';
        }

        /// <summary>32 bytes in standard base64 are 43 characters and one '='.</summary>
        private static bool IsBase64Of32Bytes(string s)
        {
            if (s.Length != 44 || s[43] != '=') return false;
            for (int i = 0; i < 43; i++)
            {
                char c = s[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                if (!ok) return false;
            }
            // The last character carries 2 bits; the 4 unused low bits must be zero: A, E, I, ..., w, 0, 4, 8.
            const string last = "AEIMQUYcgkosw048";
            return last.IndexOf(s[42]) >= 0;
        }

        /// <summary>Text safe for a one-line message: control characters become '?', long text is cut.</summary>
        private static string OneLine(string s, int max)
        {
            if (s == null) return "";
            bool cut = s.Length > max;
            int n = cut ? max : s.Length;
            var chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                char c = s[i];
                chars[i] = c < ' ' || c == 0x7F || c == '\u2028' || c == '\u2029' || c == '\u0085' ? '?' : c;
            }
            return cut ? new string(chars) + "..." : new string(chars);
        }

        private static string List(string[] names)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < names.Length; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(names[i]);
            }
            return sb.ToString();
        }
    }
}
