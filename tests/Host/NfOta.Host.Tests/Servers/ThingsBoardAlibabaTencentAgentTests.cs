using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using NfOta.Agent;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;
using Xunit;

namespace NfOta.Host.Tests.Servers
{
    /// <summary>
    /// The real UpdateAgent with the ThingsBoard, Alibaba and Tencent adapters against their stand-in
    /// servers on an in-process broker: the release happens while the device is offline, the device
    /// connects, asks, downloads (one lost chunk or one broken HTTP body on the way), verifies, reboots
    /// into the image and reports the new version; a corrupted image ends in the platform's
    /// verification-failure report with the old image running. The device is the core tests' RAM rig.
    /// </summary>
    public class ThingsBoardAlibabaTencentAgentTests
    {
        private sealed class RealClock : IClock
        {
            private readonly Stopwatch _sw = Stopwatch.StartNew();
            public long UptimeMs => _sw.ElapsedMilliseconds;
            public void Sleep(int milliseconds) => System.Threading.Thread.Sleep(milliseconds);
        }

        private sealed class Device : IDisposable
        {
            public readonly RamBootControl Boot = new RamBootControl(AgentRig.SlotSize);
            public readonly MemoryStorage Storage = new MemoryStorage();
            public readonly MemoryRangeSource Http = new MemoryRangeSource();
            public readonly DeviceSettings Settings;
            private readonly Func<DeviceSettings, IPlatformAdapter> _makeAdapter;
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
                _makeAdapter = makeAdapter;
                _brokerPort = brokerPort;
                byte[] factory = AgentRig.MakeImage("1.0.0", 20000, true);
                Boot.Slots[0].Write(0, factory, 0, factory.Length);
            }

            public string RunningVersion => AgentRig.VersionIn(Boot.Slots[Boot.Running]);

            /// <summary>Serves published files from the device's in-memory HTTP source.</summary>
            public string PublishFile(string path, byte[] bytes)
            {
                Http.Url = "https://files.test/" + path;
                Http.Content = bytes;
                return Http.Url;
            }

            public void PowerOn()
            {
                _mqtt = new MqttNetPort("127.0.0.1", _brokerPort);
                var ports = new AgentPorts { Mqtt = _mqtt, Http = Http, Boot = Boot, Clock = new RealClock(), Storage = Storage };
                Agent = new UpdateAgent(Settings, _makeAdapter(Settings), ports, RunningVersion, new SlotSelfTest(Boot));
            }

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

        private static ConcurrentQueue<DeviceReport> RunUpdate(MqttPlatformServer server, Device device, PackagedImage image, Func<DeviceReport, bool> expected)
        {
            var reports = new ConcurrentQueue<DeviceReport>();
            server.ReportReceived += r => reports.Enqueue(r);
            server.Release(image); // the device is offline
            device.PowerOn();
            bool seen = device.RunUntil(() => { foreach (var r in reports) if (expected(r)) return true; return false; });
            Assert.True(seen, "reports: " + string.Join(" | ", reports) + "; agent: " + device.Agent.State + " " + device.Agent.LastMessage);
            return reports;
        }

        private static DeviceSettings ThingsBoardSettings() => new DeviceSettings { Platform = "thingsboard", AccessToken = "token", Package = "main" };

        private static DeviceSettings AlibabaSettings() => new DeviceSettings { Platform = "alibaba", ProductKey = "a1pk", DeviceName = "dev1", DeviceSecret = "s" };

        private static DeviceSettings TencentSettings() => new DeviceSettings { Platform = "tencent", ProductKey = "PRODUCT123", DeviceName = "dev1", DeviceSecret = "MTIzNA==" };

        [Fact]
        public void ThingsBoard_OfflineRelease_LostChunk_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer();
            server.Start(broker.Host, broker.Port);
            server.DropChunkOnce(5);
            using var device = new Device(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            var reports = RunUpdate(server, device, Image("1.1.0"), r => r.IsSuccess);
            Assert.Equal("1.1.0", device.RunningVersion);
            Assert.Equal(1, server.ChunksDropped);
            Assert.True(server.ChunksServed >= 30, "chunks served: " + server.ChunksServed); // 30000 bytes in 1024-byte chunks
            Assert.Equal(1024, server.LastChunkSize);
            Assert.Contains(reports, r => r.State == "DOWNLOADING");
            Assert.Contains(reports, r => r.State == "VERIFIED");
        }

        [Fact]
        public void ThingsBoard_CorruptedImage_ChecksumMismatch_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer("MD5") { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            using var device = new Device(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            RunUpdate(server, device, Image("1.1.0"), r => r.IsFailure && r.Error != null && r.Error.StartsWith("CHECKSUM_MISMATCH"));
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Alibaba_OfflineRelease_Request_BrokenBody_UpdatesAndInformsTheVersion()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            device.Http.BreakAfter = 10000; // the first body stops; the download resumes with Range
            var reports = RunUpdate(server, device, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
            Assert.True(device.Http.Opens >= 2);
            Assert.Contains(reports, r => r.Percent is int p && p >= 1 && p <= 100);
        }

        [Fact]
        public void Alibaba_CorruptedImage_StepMinus3_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile, "SHA256") { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            RunUpdate(server, device, Image("1.2.0"), r => r.IsFailure && r.State == "-3");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Tencent_OfflineRelease_BrokenBody_UpdatesAndReportsDone()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            device.Http.BreakAfter = 10000;
            var reports = RunUpdate(server, device, Image("1.3.0"), r => r.IsSuccess && r.State == "done");
            Assert.Equal("1.3.0", device.RunningVersion);
            Assert.True(device.Http.Opens >= 2);
            Assert.Contains(reports, r => r.State == "burning");
        }

        [Fact]
        public void Tencent_CorruptedImage_ResultCodeMinus4_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile) { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            RunUpdate(server, device, Image("1.3.0"), r => r.IsFailure && r.Error != null && r.Error.StartsWith("-4"));
            Assert.Equal("1.0.0", device.RunningVersion);
        }
    
        [Fact]
        public void ThingsBoard_FailingSelfTest_RollsBackAndReportsTheOldVersion()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer();
            server.Start(broker.Host, broker.Port);
            using var device = new Device(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            RunUpdate(server, device, Image("1.1.0", selfTestPasses: false),
                r => r.IsFailure && r.Error != null && r.Error.StartsWith("INSTALLATION_FAILED") && r.Version == "1.0.0");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Alibaba_FailingSelfTest_StepMinus4ThenInformsTheOldVersion()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            var reports = RunUpdate(server, device, Image("1.2.0", selfTestPasses: false), r => r.IsFailure && r.State == "-4");
            device.RunUntil(() => { int n = 0; foreach (var r in reports) if (r.State == "inform" && r.Version == "1.0.0") n++; return n >= 2; }, 5000);
            Assert.Equal("1.0.0", device.RunningVersion);
            Assert.DoesNotContain(reports, r => r.IsSuccess);
        }

        [Fact]
        public void Tencent_FailingSelfTest_ResultCodeMinus5()
        {
            using var broker = new EmbeddedBroker();
            using var device = new Device(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            var reports = RunUpdate(server, device, Image("1.3.0", selfTestPasses: false), r => r.IsFailure && r.Error != null && r.Error.StartsWith("-5"));
            Assert.Equal("1.0.0", device.RunningVersion);
            Assert.DoesNotContain(reports, r => r.IsSuccess);
        }
    }
}
