using System;
using NfOta.Pc.Net;
using NfOta.Settings;

namespace NfOta.Pc.Servers
{
    /// <summary>The one place that turns a platform name into its stand-in server.</summary>
    public static class PlatformServers
    {
        /// <summary>
        /// The stand-in for <paramref name="platform"/>, addressing the device that
        /// <paramref name="device"/> describes; URL platforms publish images on <paramref name="files"/>.
        /// </summary>
        public static IPlatformServer Create(string platform, DeviceSettings device, RangeFileServer files)
        {
            Func<string, byte[], string> publish = (path, bytes) => files.Publish(path, bytes);
            switch ((platform ?? "").ToLowerInvariant())
            {
                case "thingsboard":
                    return new ThingsBoardServer();
                case "alibaba":
                    return new AlibabaServer(device.ProductKey, device.DeviceName, publish);
                default:
                    throw new ArgumentException("no stand-in server for platform '" + platform + "'");
            }
        }
    }
}
