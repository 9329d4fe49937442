using System;
using System.IO;
using NfOta.Settings;

namespace NfOta.Tool
{
    /// <summary>Settings files as the tool reads them: the core's own parser, errors as one line.</summary>
    public static class Settings
    {
        public static DeviceSettings Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new ToolException("settings file not found: " + path);
            }

            SettingsResult result = SettingsParser.Parse(File.ReadAllBytes(path));
            if (!result.Ok)
            {
                throw new ToolException(path + ": " + result.Error);
            }

            return result.Settings;
        }

        /// <summary>The repository's example settings for a platform, pointed at a local broker.</summary>
        public static DeviceSettings ForDemo(string platform, string brokerHost, int brokerPort)
        {
            string path = Path.Combine(FindRepoFolder("examples"), "settings", platform + ".json");
            if (!File.Exists(path))
            {
                throw new ToolException("unknown platform '" + platform + "' (no " + path + ")");
            }

            DeviceSettings s = Load(path);
            s.BrokerHost = brokerHost;
            s.BrokerPort = brokerPort;
            s.BrokerTls = false;
            s.RequireTls = false;
            s.AllowedHosts = new string[0];
            s.ProgressStepPercent = 10;
            return s;
        }

        internal static string FindRepoFolder(string name)
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                {
                    string candidate = Path.Combine(d.FullName, name);
                    if (Directory.Exists(candidate) && File.Exists(Path.Combine(d.FullName, "nf-ota.sln")))
                    {
                        return candidate;
                    }
                }
            }

            throw new ToolException("cannot find the repository's " + name + "/ folder; run nf-ota from the repository");
        }
    }
}
