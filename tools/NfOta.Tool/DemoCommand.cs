using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NfOta.Agent;
using NfOta.Pc.Device;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Pc.Sim;
using NfOta.Pc.Signing;
using NfOta.Settings;

namespace NfOta.Tool
{
    /// <summary>
    /// The main job: a whole update and a whole rollback on a simulated ESP32, against a local broker
    /// and the platform's stand-in server, with every step visible. Exit code 0 only if the device
    /// ended on 1.1.0 after updating to it, and came back to 1.1.0 after 1.2.0 failed its self-test,
    /// with the platform told both outcomes in its own terms.
    /// </summary>
    public static class DemoCommand
    {
        public static int Run(Options o)
        {
            string platform = o.Get("platform", "thingsboard").ToLowerInvariant();
            string brokerKind = o.Get("broker", "embedded");
            int imageSize = o.GetInt("size", 600 * 1024);
            string flashDir = o.Get("flash");
            bool tempFlash = flashDir == null;
            flashDir ??= Path.Combine(Path.GetTempPath(), "nf-ota-demo-" + Guid.NewGuid().ToString("N").Substring(0, 8));

            var console = new DemoConsole();
            console.Title("nf-ota demo: " + platform + " over " + brokerKind + " MQTT, simulated ESP32 in " + flashDir);
            if (platform == "") throw new ToolException("--platform needs a name");

            using IBroker broker = StartBroker(brokerKind);
            console.Line("broker", broker.ToString());
            using var files = new RangeFileServer();
            DeviceSettings settings = Settings.ForDemo(platform, broker.Host, broker.Port, files.BaseUrl);
            using IPlatformServer server = PlatformServers.Create(platform, settings, files);
            var reports = new ConcurrentQueue<DeviceReport>();
            server.ReportReceived += r =>
            {
                reports.Enqueue(r);
                console.Line(platform, "device reported " + r);
            };
            server.Start(broker.Host, broker.Port);
            console.Line(platform, "stand-in server up");

            // Releases are signed, as they should be: the device holds the public key and installs
            // nothing else. --unsigned runs the same demo on checksums alone.
            bool signedReleases = o.Get("unsigned") == null;
            var (releaseKey, publicKey) = ImageSigner.CreateKey();
            if (signedReleases)
            {
                settings.SigningPublicKey = publicKey;
                console.Line("keys", "release key created; the device trusts public key " + publicKey);
            }

            PackagedImage Release(string version, int seed, string selfTest = null, bool sign = true)
            {
                byte[] bytes = new EspAppImageBuilder { Version = version, Size = imageSize, Seed = seed, SelfTest = selfTest }.Build();
                if (signedReleases && sign)
                {
                    bytes = ImageSigner.Sign(bytes, version, 0, Convert.FromBase64String(releaseKey));
                }

                return new PackagedImage { Title = settings.Package, Version = version, Bytes = bytes };
            }

            byte[] factory = new EspAppImageBuilder { Version = "1.0.0", Size = imageSize, Seed = 100 }.Build();
            var v110 = Release("1.1.0", 110);
            var v120 = Release("1.2.0", 120, selfTest: "fail");
            var v130 = Release("1.3.0", 130, sign: false);

            using var device = new SimulatedDevice(flashDir, settings);
            device.Provision(factory);
            console.Line("device", "flashed 1.0.0 into ota_0 (" + factory.Length / 1024 + " KB)");
            device.Log += line => console.Line("device", line);
            device.AgentChanged += console.OnAgentEvent;
            var checks = new List<(string What, bool Ok)>();

            try
            {
                // 1. Released while the device is offline: it must ask when it connects.
                console.Step("1. release 1.1.0 while the device is offline, then power it on");
                server.Release(v110);
                device.PowerOn();
                bool updated = device.RunUntil(
                    () => device.RunningVersion == "1.1.0" && device.Agent.State == UpdateState.Confirmed
                        && reports.Any(r => r.IsSuccess && r.Version == "1.1.0"),
                    TimeSpan.FromSeconds(o.GetInt("timeout", 120)));
                console.EndProgress();
                checks.Add(("1.1.0 streamed into the inactive slot, verified (" + HashName(device) + ")", device.Agent.InstalledDigest != null));
                checks.Add(("device rebooted into 1.1.0, self-test passed, image confirmed", device.RunningVersion == "1.1.0" && device.Agent.State == UpdateState.Confirmed));
                checks.Add((platform + " was told the update succeeded (version 1.1.0)", reports.Any(r => r.IsSuccess && r.Version == "1.1.0")));
                if (!updated)
                {
                    console.Line("demo", "the update did not complete: state " + UpdateAgent.StateName(device.Agent.State) + ", " + device.Agent.LastMessage);
                }

                // 2. An image whose self-test fails: rolled back to 1.1.0.
                console.Step("2. release 1.2.0, whose self-test fails");
                int bootsBefore = device.Boots;
                server.Release(v120);
                bool rolledBack = device.RunUntil(
                    () => device.Boots >= bootsBefore + 2 && device.RunningVersion == "1.1.0"
                        && device.Agent.State == UpdateState.RolledBack && reports.Any(r => r.IsFailure),
                    TimeSpan.FromSeconds(o.GetInt("timeout", 120)));
                console.EndProgress();
                checks.Add(("1.2.0 failed its self-test on the trial boot", device.Agent.LastError == UpdateError.SelfTestFailed));
                checks.Add(("device rolled back to 1.1.0 and runs it", device.RunningVersion == "1.1.0" && device.Agent.State == UpdateState.RolledBack));
                checks.Add((platform + " was told the update failed", reports.Any(r => r.IsFailure)));
                if (!rolledBack)
                {
                    console.Line("demo", "the rollback did not complete: state " + UpdateAgent.StateName(device.Agent.State) + ", " + device.Agent.LastMessage);
                }

                if (signedReleases)
                {
                    // 3. An image the release key never signed, offered with a perfectly good checksum.
                    console.Step("3. release 1.3.0 without the release key's signature");
                    int failuresBefore = reports.Count(r => r.IsFailure);
                    server.Release(v130);
                    bool refused = device.RunUntil(
                        () => device.Agent.State == UpdateState.Failed && reports.Count(r => r.IsFailure) > failuresBefore,
                        TimeSpan.FromSeconds(o.GetInt("timeout", 120)));
                    console.EndProgress();
                    checks.Add(("unsigned 1.3.0 refused before anything was made bootable", refused
                        && device.Agent.LastError == UpdateError.SignatureInvalid && device.RunningVersion == "1.1.0"));
                }

                checks.Add(("no NOR-flash rule was broken", device.Flash.Violations == 0));
            }
            finally
            {
                device.Dispose();
                if (tempFlash)
                {
                    TryDelete(flashDir);
                }
            }

            console.Step("summary");
            foreach (var (what, ok) in checks)
            {
                console.Check(what, ok);
            }

            bool all = checks.All(c => c.Ok);
            Console.WriteLine(all ? "demo passed" : "demo FAILED");
            return all ? 0 : 1;
        }

        private static string HashName(SimulatedDevice device) =>
            device.Agent.InstalledDigest == null ? "no digest" : "digest " + device.Agent.InstalledDigest.Substring(0, 16) + "...";

        internal static IBroker StartBroker(string kind)
        {
            switch (kind)
            {
                case "embedded":
                    var embedded = new EmbeddedBroker();
                    embedded.Start();
                    return embedded;
                case "mosquitto":
                    if (!MosquittoBroker.IsAvailable)
                    {
                        throw new ToolException("mosquitto is not installed (apt-get install -y mosquitto)");
                    }

                    var mosquitto = new MosquittoBroker();
                    mosquitto.Start();
                    return mosquitto;
                default:
                    throw new ToolException("--broker must be embedded or mosquitto, not '" + kind + "'");
            }
        }

        private static void TryDelete(string dir)
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
