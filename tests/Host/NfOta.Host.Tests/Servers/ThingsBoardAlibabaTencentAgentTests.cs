using System;
using NfOta.Agent;
using NfOta.Host.Tests.Support;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Protocols;
using NfOta.Settings;
using Xunit;
using static NfOta.Host.Tests.Support.AgentServerRig;

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
            using var device = new AgentServerRig(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            var reports = device.RunUpdate(server, Image("1.1.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            device.RunUpdate(server, Image("1.1.0"), r => r.IsFailure && r.Error != null && r.Error.StartsWith("CHECKSUM_MISMATCH"));
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Alibaba_OfflineRelease_Request_BrokenBody_UpdatesAndInformsTheVersion()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            device.Http.BreakAfter = 10000; // the first body stops; the download resumes with Range
            var reports = device.RunUpdate(server, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
            Assert.True(device.Http.Opens >= 2);
            Assert.Contains(reports, r => r.Percent is int p && p >= 1 && p <= 100);
        }

        [Fact]
        public void Alibaba_CorruptedImage_StepMinus3_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile, "SHA256") { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            device.RunUpdate(server, Image("1.2.0"), r => r.IsFailure && r.State == "-3");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Tencent_OfflineRelease_BrokenBody_UpdatesAndReportsDone()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            device.Http.BreakAfter = 10000;
            var reports = device.RunUpdate(server, Image("1.3.0"), r => r.IsSuccess && r.State == "done");
            Assert.Equal("1.3.0", device.RunningVersion);
            Assert.True(device.Http.Opens >= 2);
            Assert.Contains(reports, r => r.State == "burning");
        }

        [Fact]
        public void Tencent_CorruptedImage_ResultCodeMinus4_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile) { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            device.RunUpdate(server, Image("1.3.0"), r => r.IsFailure && r.Error != null && r.Error.StartsWith("-4"));
            Assert.Equal("1.0.0", device.RunningVersion);
        }
    
        [Fact]
        public void ThingsBoard_FailingSelfTest_RollsBackAndReportsTheOldVersion()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer();
            server.Start(broker.Host, broker.Port);
            using var device = new AgentServerRig(ThingsBoardSettings(), s => new ThingsBoardAdapter(s), broker.Port);
            device.RunUpdate(server, Image("1.1.0", selfTestPasses: false),
                r => r.IsFailure && r.Error != null && r.Error.StartsWith("INSTALLATION_FAILED") && r.Version == "1.0.0");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Alibaba_FailingSelfTest_StepMinus4ThenInformsTheOldVersion()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(AlibabaSettings(), s => new AlibabaAdapter(s), broker.Port);
            using var server = new AlibabaServer("a1pk", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            var reports = device.RunUpdate(server, Image("1.2.0", selfTestPasses: false), r => r.IsFailure && r.State == "-4");
            device.RunUntil(() => { int n = 0; foreach (var r in reports) if (r.State == "inform" && r.Version == "1.0.0") n++; return n >= 2; }, 5000);
            Assert.Equal("1.0.0", device.RunningVersion);
            Assert.DoesNotContain(reports, r => r.IsSuccess);
        }

        [Fact]
        public void Tencent_FailingSelfTest_ResultCodeMinus5()
        {
            using var broker = new EmbeddedBroker();
            using var device = new AgentServerRig(TencentSettings(), s => new TencentAdapter(s), broker.Port);
            using var server = new TencentServer("PRODUCT123", "dev1", device.PublishFile);
            server.Start(broker.Host, broker.Port);
            var reports = device.RunUpdate(server, Image("1.3.0", selfTestPasses: false), r => r.IsFailure && r.Error != null && r.Error.StartsWith("-5"));
            Assert.Equal("1.0.0", device.RunningVersion);
            Assert.DoesNotContain(reports, r => r.IsSuccess);
        }
    }
}
