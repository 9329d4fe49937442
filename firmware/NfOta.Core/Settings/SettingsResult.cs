namespace NfOta.Settings
{
    /// <summary>
    /// The outcome of reading a settings file: either Ok with the Settings, or an Error of one line that
    /// starts with "settings:" and names the field, e.g. "settings: broker.port must be a number from 1 to 65535".
    /// </summary>
    public sealed class SettingsResult
    {
        public readonly bool Ok;
        public readonly DeviceSettings Settings;
        public readonly string Error;

        private SettingsResult(bool ok, DeviceSettings settings, string error)
        {
            Ok = ok;
            Settings = settings;
            Error = error;
        }

        internal static SettingsResult Success(DeviceSettings settings)
        {
            return new SettingsResult(true, settings, null);
        }

        internal static SettingsResult Failure(string error)
        {
            return new SettingsResult(false, null, error);
        }

        public override string ToString()
        {
            return Ok ? "settings: ok (" + Settings.Platform + ")" : Error;
        }
    }
}
