using System;
using System.IO;
using NfOta.Pc.Device;
using NfOta.Settings;

namespace NfOta.Tool
{
    /// <summary>Settings files as the tool reads them: the core's own parser, errors as one line.</summary>
    public static class Settings
    {
        public static DeviceSettings Load(string path) => Wrap(() => RehearsalSettings.Load(path));

        public static DeviceSettings ForDemo(string platform, string brokerHost, int brokerPort, string fileBaseUrl = null) =>
            Wrap(() => RehearsalSettings.ForPlatform(platform, brokerHost, brokerPort, fileBaseUrl));

        private static DeviceSettings Wrap(Func<DeviceSettings> read)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is ArgumentException)
            {
                throw new ToolException(ex.Message);
            }
        }
    }
}
