using System;
using System.IO;
using NfOta.Settings;

namespace NfOta.Pc.Device
{
    /// <summary>
    /// Settings for rehearsing an update on the PC: the repository's example settings file for a
    /// platform (read by the core's own parser), pointed at a local broker and stand-in file server.
    /// </summary>
    public static class RehearsalSettings
    {
        /// <summary>Reads a settings file; a bad one throws <see cref="InvalidDataException"/> with the parser's one-line error.</summary>
        public static DeviceSettings Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("settings file not found: " + path, path);
            }

            SettingsResult result = SettingsParser.Parse(File.ReadAllBytes(path));
            if (!result.Ok)
            {
                throw new InvalidDataException(path + ": " + result.Error);
            }

            return result.Settings;
        }

        /// <summary>The example settings of <paramref name="platform"/>, pointed at a local broker and file server.</summary>
        public static DeviceSettings ForPlatform(string platform, string brokerHost, int brokerPort, string fileBaseUrl = null)
        {
            string path = Path.Combine(RepositoryFolder("examples"), "settings", platform + ".json");
            if (!File.Exists(path))
            {
                throw new ArgumentException("unknown platform '" + platform + "' (no " + path + ")");
            }

            DeviceSettings s = Load(path);
            s.BrokerHost = brokerHost;
            s.BrokerPort = brokerPort;
            s.BrokerTls = false;
            s.RequireTls = false;
            s.AllowedHosts = new string[0];
            s.ProgressStepPercent = 10;
            // The stand-in servers do not sign images; signed updates are rehearsed with `pack --sign`.
            s.SigningPublicKey = null;
            if (fileBaseUrl != null)
            {
                s.DownloadBaseUrl = fileBaseUrl;
            }

            return s;
        }

        /// <summary>A folder of the repository, found from the working directory or the program's own.</summary>
        public static string RepositoryFolder(string name)
        {
            string candidate = Path.Combine(RepositoryRoot(), name);
            if (!Directory.Exists(candidate))
            {
                throw new DirectoryNotFoundException("the repository has no " + name + "/ folder");
            }

            return candidate;
        }

        /// <summary>The folder holding nf-ota.sln, above the working directory or the program's own.</summary>
        public static string RepositoryRoot()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                {
                    if (File.Exists(Path.Combine(d.FullName, "nf-ota.sln")))
                    {
                        return d.FullName;
                    }
                }
            }

            throw new DirectoryNotFoundException("cannot find the repository (nf-ota.sln); run from the repository");
        }
    }
}
