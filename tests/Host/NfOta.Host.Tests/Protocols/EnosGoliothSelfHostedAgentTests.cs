using System;
using NfOta.Agent;
using NfOta.Host.Tests.Support;
using NfOta.Host.Tests.Net;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Protocols;
using NfOta.Settings;
using Xunit;
using static NfOta.Host.Tests.Support.AgentServerRig;

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
        [Fact]
        public void Golioth_OfflineRelease_LostBlock_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new GoliothServer();
            server.Start(broker.Host, broker.Port);
            server.DropBlockOnce(7);
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev@proj", Password = "psk" };
            using var device = new AgentServerRig(settings, s => new GoliothAdapter(s), broker.Port);
            device.RunUpdate(server, Image("1.1.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(settings, s => new GoliothAdapter(s), broker.Port);
            device.RunUpdate(server, Image("1.1.0"), r => r.IsFailure && r.Error == "INTEGRITY_CHECK_FAILURE");
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
            using var device = new AgentServerRig(settings, s => new SelfHostedAdapter(s), broker.Port);
            device.RunUpdate(server, Image("2.0.0"), r => r.IsSuccess);
            Assert.Equal("2.0.0", device.RunningVersion);
        }

        [Fact]
        public void SelfHosted_FailingSelfTest_RollsBackAndReportsIt()
        {
            using var broker = new EmbeddedBroker();
            using var server = new SelfHostedServer("dev-2");
            server.Start(broker.Host, broker.Port);
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-2" };
            using var device = new AgentServerRig(settings, s => new SelfHostedAdapter(s), broker.Port);
            device.RunUpdate(server, Image("2.0.0", selfTestPasses: false),
                r => r.IsFailure && r.Error != null && r.Error.StartsWith("self_test_failed") && r.Version == "1.0.0");
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        [Fact]
        public void Enos_OfflineRelease_GetVersion_BrokenBody_UpdatesAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret" };
            using var device = new AgentServerRig(settings, s => new EnosAdapter(s), broker.Port);
            using var server = new EnosServer("pk", "dk", (path, bytes) =>
            {
                device.Http.Url = "http://files.test" + path;
                device.Http.Content = bytes;
                return device.Http.Url;
            });
            server.Start(broker.Host, broker.Port);
            settings.DownloadBaseUrl = "http://files.test";
            device.Http.BreakAfter = 10000; // the first body stops; the download resumes with Range
            device.RunUpdate(server, Image("1.2.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(settings, s => new EnosAdapter(s), broker.Port) { RealHttp = http };
            using var server = new EnosServer("pk", "dk", files.Publish);
            server.Start(broker.Host, broker.Port);
            files.CloseAfterBytes = 12000;
            device.RunUpdate(server, Image("1.2.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(settings, s => new SelfHostedAdapter(s), broker.Port) { RealHttp = http };
            using var server = new SelfHostedServer("dev-3", files.Publish);
            server.Start(broker.Host, broker.Port);
            device.RunUpdate(server, Image("3.0.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(settings, s => new GoliothAdapter(s), broker.Port);
            device.RunUpdate(server, Image("1.1.0"), r => r.IsSuccess);
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
            using var device = new AgentServerRig(settings, s => new SelfHostedAdapter(s), broker.Port);
            device.RunUpdate(server, Image("2.0.0"), r => r.IsSuccess);
            Assert.Equal("2.0.0", device.RunningVersion);
        }

        [MosquittoFact]
        public void Mosquitto_Enos_RealRangeServer_Resumes_Updates()
        {
            using var broker = new MosquittoBroker();
            using var files = new RangeFileServer();
            using var http = new HttpClientRangeSource();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret", DownloadBaseUrl = files.BaseUrl };
            using var device = new AgentServerRig(settings, s => new EnosAdapter(s), broker.Port) { RealHttp = http };
            using var server = new EnosServer("pk", "dk", files.Publish);
            server.Start(broker.Host, broker.Port);
            files.CloseAfterBytes = 9000;
            device.RunUpdate(server, Image("1.2.0"), r => r.IsSuccess);
            Assert.Equal("1.2.0", device.RunningVersion);
        }

        [Fact]
        public void Enos_CorruptedImage_VerificationFailureStep_OldImageRuns()
        {
            using var broker = new EmbeddedBroker();
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk", DeviceName = "dk", DeviceSecret = "secret" };
            using var device = new AgentServerRig(settings, s => new EnosAdapter(s), broker.Port);
            using var server = new EnosServer("pk", "dk", (path, bytes) =>
            {
                device.Http.Url = "http://files.test" + path;
                device.Http.Content = bytes;
                return device.Http.Url;
            }, "sha256") { CorruptImage = true };
            server.Start(broker.Host, broker.Port);
            settings.DownloadBaseUrl = "http://files.test";
            device.RunUpdate(server, Image("1.2.0"), r => r.IsFailure && r.State == "-3");
            Assert.Equal("1.0.0", device.RunningVersion);
        }
    }
}
