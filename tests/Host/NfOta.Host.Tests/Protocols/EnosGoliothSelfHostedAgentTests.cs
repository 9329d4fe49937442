using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using NfOta.Agent;
using NfOta.Host.Tests.Net;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;
using Xunit;

namespace NfOta.Host.Tests.Protocols
{
    /// <summary>
    /// The real UpdateAgent with the EnOS, Golioth and self-hosted adapters against their stand-in
    /// servers on an in-process broker: release while the device is offline, connect, download (one
    /// lost chunk or a broken HTTP body on the way), verify, reboot into the image, self-test, report the
    /// new version; and a corrupted image that ends in the platform's verification failure with the old
    /// image still running. The device is the core tests' RAM rig (flash slots, bootloader, journal).
    /// </summary>
    public class EnosGoliothSelfHostedAgentTests
    {
        private sealed class RealClock : IClock
        {
            private readonly Stopwatch _sw = Stopwatch.StartNew();
            public long UptimeMs => _sw.ElapsedMilliseconds;
            public void Sleep(int milliseconds) => System.Threading.Thread.Sleep(milliseconds);
        }

        /// <summary>A RAM device running the agent over a real MQTT connection.</summary>
        private sealed class Device : IDisposable
        {
            public readonly RamBootControl Boot = new RamBootControl(AgentRig.SlotSize);
            public readonly MemoryStorage Storage = new MemoryStorage();
            public readonly MemoryRangeSource Http = new MemoryRangeSource();
            /// <summary>The real HTTP client instead of <see cref="Http"/>, when set.</summary>
            public IHttpRangeSource RealHttp;
            public readonly DeviceSettings Settings;
            public readonly Func<DeviceSettings, IPlatformAdapter> MakeAdapter;
            private readonly int _brokerPort;
            private MqttNetPort _mqtt;
            public UpdateAgent Agent;

            public Device(DeviceSettings settings, Func<DeviceSettings, IPlatformAdapter> makeAdapter, int brokerPort)
            {
                Settings = settings;
                settings.ChunkSize = 1024;
                settings.Window = 4;
                settings.TimeoutMs = 1500;
                settings.Retries = 5;
                settings.CheckpointBytes = 4096;
                settings.ProgressStepPercent = 25;
                settings.ProgressIntervalMs = 0;
                settings.SelfTestTimeoutSeconds = 5;
                MakeAdapter = makeAdapter;
                _brokerPort = brokerPort;
                byte[] factory = AgentRig.MakeImage("1.0.0", 20000, true);
                Boot.Slots[0].Write(0, factory, 0, factory.Length);
            }

            public string RunningVersion => AgentRig.VersionIn(Boot.Slots[Boot.Running]);

            public void PowerOn()
            {
                _mqtt = new MqttNetPort("127.0.0.1", _brokerPort);
                var ports = new AgentPorts { Mqtt = _mqtt, Http = RealHttp ?? Http, Boot = Boot, Clock = new RealClock(), Storage = Storage };
                Agent = new UpdateAgent(Settings, MakeAdapter(Settings), ports, RunningVersion, new SlotSelfTest(Boot));
            }

            /// <summary>Runs the agent, rebooting it when it asks, until the condition holds.</summary>
            public bool RunUntil(Func<bool> condition, int timeoutMs = 30000)
            {
                var sw = Stopwatch.StartNew();
                while (sw.ElapsedMilliseconds < timeoutMs)
                {
                    if (condition()) return true;
                    if (Agent.RestartRequested)
                    {
                        _mqtt.Dispose();
                        Boot.Boot();
                        PowerOn();
                    }
                    Agent.Poll(20);
                }
                return condition();
            }

            public void Dispose() => _mqtt?.Dispose();
        }

        private static PackagedImage Image(string version, bool selfTestPasses = true) =>
            new PackagedImage { Bytes = AgentRig.MakeImage(version, 30000, selfTestPasses), Version = version, Title = "main" };

        private static void RunUpdate(MqttPlatformServer server, Device device, PackagedImage image, Func<DeviceReport, bool> expected)
        {
            var reports = new ConcurrentQueue<DeviceReport>();
            server.ReportReceived += r => reports.Enqueue(r);
            server.Release(image); // the device is offline
            device.PowerOn();
            bool seen = device.RunUntil(() => { foreach (var r in reports) if (expected(r)) return true; return false; });
            Assert.True(seen, "reports: " + string.Join(" | ", reports) + "; agent: " + device.Agent.State + " " + device.Agent.LastMessage);
        }

        [Fact]
        public void Golioth_OfflineRelease_LostBlock_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new GoliothServer();
            server.Start(broker.Host, broker.Port);
            server.DropBlockOnce(7);
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev@proj", Password = "psk" };
            using var device = new Device(settings, s => new GoliothAdapter(s), broker.Port);
            RunUpdate(server, device, Image("1.1.0"), r => r.IsSuccess);
            Assert.Equal("1.1.0", device.RunningVersion);
            Assert.True(server.BlocksServed >= 30);
        }

        [Fact]
        public void Golioth_CorruptedImage_IntegrityFailure_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var server = new GoliothServer { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev@proj", Password = "psk" };
            using var device = new Device(settings, s => new GoliothAdapter(s), broker.Port);
            RunUpdate(server, device, Image("1.1.0"), r => r.IsFailure && r.Error == "INTEGRITY_CHECK_FAILURE");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void SelfHosted_OfflineRelease_Chunks_LostChunk_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new SelfHostedServer("dev-1");
            server.Start(broker.Host, broker.Port);
            server.DropChunkOnce(3);
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-1" };
            using var device = new Device(settings, s => new SelfHostedAdapter(s), broker.Port);
            RunUpdate(server, device, Image("2.0.0"), r => r.IsSuccess);
            Assert.Equal("2.0.0", device.RunningVersion);
        }

        [Fact]
        public void SelfHosted_FailingSelfTest_RollsBackAndReportsIt()
        {
            using var broker = new EmbeddedBroker();
            using var server = new SelfHostedServer("dev-2");
            server.Start(broker.Host, broker.Port);
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-2" };
            using var device = new Device(settings, s => new SelfHostedAdapter(s), broker.Port);
            RunUpdate(server, device, Image("2.0.0", selfTestPasses: false),
                r => r.IsFailure && r.Error != null && r.Error.StartsWith("self_test_failed") && r.Version == "1.0.0");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Enos_OfflineRelease_GetVersion_BrokenBody_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret" };
            using var device = new Device(settings, s => new EnosAdapter(s), broker.Port);
            using var server = new EnosServer("pk", "dk", (path, bytes) =>
            {
                device.Http.Url = "http://files.test" + path;
                device.Http.Content = bytes;
                return device.Http.Url;
            });
            server.Start(broker.Host, broker.Port);
            settings.DownloadBaseUrl = "http://files.test";
            device.Http.BreakAfter = 10000; // the first body stops; the download resumes with Range
            RunUpdate(server, device, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
            Assert.True(device.Http.Opens >= 2);
        }

        [Fact]
        public void Enos_RealRangeServer_RelativeFileUrl_ConnectionCut_Resumes()
        {
            using var broker = new EmbeddedBroker();
            using var files = new RangeFileServer();
            using var http = new HttpClientRangeSource();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret", DownloadBaseUrl = files.BaseUrl };
            using var device = new Device(settings, s => new EnosAdapter(s), broker.Port) { RealHttp = http };
            using var server = new EnosServer("pk", "dk", files.Publish);
            server.Start(broker.Host, broker.Port);
            files.CloseAfterBytes = 12000;
            RunUpdate(server, device, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
            Assert.Contains(files.RangeHeaders, h => h != null && h.StartsWith("bytes=") && !h.StartsWith("bytes=0-"));
        }

        [Fact]
        public void SelfHosted_RealRangeServer_UrlOffer_Updates()
        {
            using var broker = new EmbeddedBroker();
            using var files = new RangeFileServer();
            using var http = new HttpClientRangeSource();
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-3" };
            using var device = new Device(settings, s => new SelfHostedAdapter(s), broker.Port) { RealHttp = http };
            using var server = new SelfHostedServer("dev-3", files.Publish);
            server.Start(broker.Host, broker.Port);
            RunUpdate(server, device, Image("3.0.0"), r => r.IsSuccess);
            Assert.Equal("3.0.0", device.RunningVersion);
            Assert.True(files.RequestCount >= 1);
        }

        // The same updates through the real mosquitto (retained messages, wildcards, QoS 1 as Debian ships it).

        [MosquittoFact]
        public void Mosquitto_Golioth_LostBlock_Updates()
        {
            using var broker = new MosquittoBroker();
            using var server = new GoliothServer();
            server.Start(broker.Host, broker.Port);
            server.DropBlockOnce(5);
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev@proj", Password = "psk" };
            using var device = new Device(settings, s => new GoliothAdapter(s), broker.Port);
            RunUpdate(server, device, Image("1.1.0"), r => r.IsSuccess);
            Assert.Equal("1.1.0", device.RunningVersion);
        }

        [MosquittoFact]
        public void Mosquitto_SelfHosted_Chunks_Updates()
        {
            using var broker = new MosquittoBroker();
            using var server = new SelfHostedServer("dev-4");
            server.Start(broker.Host, broker.Port);
            server.DropChunkOnce(2);
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-4" };
            using var device = new Device(settings, s => new SelfHostedAdapter(s), broker.Port);
            RunUpdate(server, device, Image("2.0.0"), r => r.IsSuccess);
            Assert.Equal("2.0.0", device.RunningVersion);
        }

        [MosquittoFact]
        public void Mosquitto_Enos_RealRangeServer_Resumes_Updates()
        {
            using var broker = new MosquittoBroker();
            using var files = new RangeFileServer();
            using var http = new HttpClientRangeSource();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret", DownloadBaseUrl = files.BaseUrl };
            using var device = new Device(settings, s => new EnosAdapter(s), broker.Port) { RealHttp = http };
            using var server = new EnosServer("pk", "dk", files.Publish);
            server.Start(broker.Host, broker.Port);
            files.CloseAfterBytes = 9000;
            RunUpdate(server, device, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
        }

        [Fact]
        public void Enos_CorruptedImage_VerificationFailureStep_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret" };
            using var device = new Device(settings, s => new EnosAdapter(s), broker.Port);
            using var server = new EnosServer("pk", "dk", (path, bytes) =>
            {
                device.Http.Url = "http://files.test" + path;
                device.Http.Content = bytes;
                return device.Http.Url;
            }, "sha256") { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            settings.DownloadBaseUrl = "http://files.test";
            RunUpdate(server, device, Image("1.2.0"), r => r.IsFailure && r.State == "-3");
            Assert.Equal("1.0.0", device.RunningVersion);
        }
    }
}
