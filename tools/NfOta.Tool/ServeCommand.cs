using System;
using System.IO;
using System.Threading;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Settings;

namespace NfOta.Tool
{
    /// <summary>
    /// `nf-ota serve`: plays the platform's side against any broker: releases a packed image (MQTT
    /// chunks, or an HTTP range server on loopback for URL platforms) and prints every report the
    /// device sends, until Ctrl+C (or, with --until-done, the first success or failure).
    /// </summary>
    public static class ServeCommand
    {
        public static int Run(Options o)
        {
            string platform = o.Require("platform").ToLowerInvariant();
            string broker = o.Require("broker");
            int colon = broker.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(broker.Substring(colon + 1), out int port))
            {
                throw new ToolException("--broker must be HOST:PORT, not '" + broker + "'");
            }

            string host = broker.Substring(0, colon);
            string imagePath = o.Require("image");
            if (!File.Exists(imagePath))
            {
                throw new ToolException("image not found: " + imagePath);
            }

            DeviceSettings device = o.Get("settings") != null ? Settings.Load(o.Get("settings")) : Settings.ForDemo(platform, host, port);
            var packed = PackCommand.Describe(imagePath, o.Get("version"), o.Get("title", device.Package), o.Get("chip"));
            using var files = new RangeFileServer();
            using IPlatformServer server = PlatformServers.Create(platform, device, files);
            using var done = new ManualResetEventSlim();
            int exit = 0;
            server.ReportReceived += r =>
            {
                Console.WriteLine("[" + platform + "] " + r);
                if (r.IsSuccess || r.IsFailure)
                {
                    exit = r.IsSuccess ? 0 : 1;
                    if (o.Get("until-done") != null)
                    {
                        done.Set();
                    }
                }
            };
            Console.CancelKeyPress += (s, e) =>
            {
                e.Cancel = true;
                done.Set();
            };
            server.Start(host, port);
            server.Release(packed.Image);
            Console.WriteLine("[" + platform + "] released " + packed.Image.Title + " " + packed.Image.Version + " ("
                + packed.Image.Size + " bytes, sha256 " + packed.Image.Sha256 + ") on " + host + ":" + port + "; Ctrl+C stops");
            done.Wait();
            return exit;
        }
    }
}
