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
using NfOta.Protocols;
using NfOta.Settings;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Integration
{
    /// <summary>
    /// The whole update, per platform, on a simulated ESP32 (file-backed flash, ESP-IDF bootloader)
    /// running the real agent over MQTTnet and HttpClient, against the platform's stand-in server
    /// through a real broker: the in-process MQTTnet broker and a real mosquitto.
    /// </summary>
    public sealed class PlatformUpdateTests
    {
        private const int ImageSize = 160 * 1024;
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
        private readonly ITestOutputHelper _output;

        public PlatformUpdateTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Cases() =>
            from platform in PlatformAdapters.Names
            from broker in new[] { "embedded", "mosquitto" }
            select new object[] { platform, broker };

        [Theory]
        [MemberData(nameof(Cases))]
        public void ReleasedWhileOfflineInterruptedThenResumedVerifiedAndConfirmed(string platform, string brokerKind)
        {
            using var rehearsal = new Rehearsal(platform, brokerKind, _output);
            rehearsal.Server.Release(rehearsal.V110);

            // First power-on: the device connects, asks, gets the pending release, and loses power at 40 %.
            bool cut = false;
            using (var first = rehearsal.NewDevice(provision: true))
            {
                first.AgentChanged += (agent, e) =>
                {
                    if (!cut && e.Kind == AgentEventKind.Progress && e.Size > 0 && e.Position * 100 / e.Size >= 40)
                    {
                        cut = true;
                        agent.Stop();
                    }
                };
                first.PowerOn();
                Assert.True(first.RunUntil(() => cut, Deadline), "the download started: " + first.Agent.LastMessage);
                Assert.Equal("1.0.0", first.RunningVersion);
            }

            // Second power-on: it resumes from its last checkpoint, verifies, reboots and confirms 1.1.0.
            long resumedAt = -1;
            using var second = rehearsal.NewDevice(provision: false);
            second.AgentChanged += (agent, e) =>
            {
                if (e.Kind == AgentEventKind.Message && e.Message.StartsWith("resuming the download", StringComparison.Ordinal))
                {
                    resumedAt = e.Position;
                }
            };
            second.PowerOn();
            bool done = second.RunUntil(
                () => second.RunningVersion == "1.1.0" && second.Agent.State == UpdateState.Confirmed
                    && rehearsal.Reports.Any(r => r.IsSuccess && r.Version == "1.1.0"),
                Deadline);
            Assert.True(done, "state " + UpdateAgent.StateName(second.Agent.State) + ": " + second.Agent.LastMessage
                + "; reports: " + string.Join(" | ", rehearsal.Reports));
            Assert.True(resumedAt > 0, "the download resumed from a checkpoint, not from zero");
            Assert.Equal(rehearsal.V110.Sha256, DigestOfRunningSlot(second));
            Assert.DoesNotContain(rehearsal.Reports, r => r.IsFailure);
            Assert.Equal(0, second.Flash.Violations);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void ACorruptedImageEndsInTheVerificationFailureReportWithTheOldImageRunning(string platform, string brokerKind)
        {
            using var rehearsal = new Rehearsal(platform, brokerKind, _output);
            rehearsal.Server.CorruptImage = true;
            rehearsal.Server.Release(rehearsal.V110);
            using var device = rehearsal.NewDevice(provision: true);
            device.PowerOn();
            bool failed = device.RunUntil(
                () => device.Agent.State == UpdateState.Failed && rehearsal.Reports.Any(r => r.IsFailure),
                Deadline);
            Assert.True(failed, "state " + UpdateAgent.StateName(device.Agent.State) + ": " + device.Agent.LastMessage);
            Assert.Equal(UpdateError.ChecksumMismatch, device.Agent.LastError);
            Assert.Equal(1, device.Boots);
            Assert.Equal("1.0.0", device.RunningVersion);
            _output.WriteLine("failure report: " + rehearsal.Reports.First(r => r.IsFailure));

            // Power-cycle: the old image still boots and the refused image is not installed again.
            device.PowerOn();
            device.RunUntil(() => false, TimeSpan.FromSeconds(2));
            Assert.Equal("ota_0", device.RunningPartition.Name);
            Assert.Equal("1.0.0", device.RunningVersion);
        }

        private static string DigestOfRunningSlot(SimulatedDevice device)
        {
            byte[] bytes = device.Flash.Read(device.RunningPartition.Offset, ImageSize);
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();
        }

        /// <summary>Broker, file server, stand-in server and settings for one platform.</summary>
        private sealed class Rehearsal : IDisposable
        {
            private readonly IBroker _broker;
            private readonly RangeFileServer _files = new RangeFileServer();
            private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfota-it-" + Guid.NewGuid().ToString("N"));
            private readonly ITestOutputHelper _output;

            public Rehearsal(string platform, string brokerKind, ITestOutputHelper output)
            {
                _output = output;
                if (brokerKind == "mosquitto")
                {
                    Assert.True(MosquittoBroker.IsAvailable, "mosquitto is installed (apt-get install -y mosquitto)");
                    var m = new MosquittoBroker();
                    m.Start();
                    _broker = m;
                }
                else
                {
                    var e = new EmbeddedBroker();
                    e.Start();
                    _broker = e;
                }

                Settings = RehearsalSettings.ForPlatform(platform, _broker.Host, _broker.Port, _files.BaseUrl);
                Settings.ChunkSize = 4096;
                Settings.CheckpointBytes = 16384;
                Settings.TimeoutMs = 3000;
                Server = PlatformServers.Create(platform, Settings, _files);
                Server.ReportReceived += r =>
                {
                    Reports.Enqueue(r);
                    output.WriteLine("report: " + r);
                };
                Server.Start(_broker.Host, _broker.Port);
                V110 = new PackagedImage
                {
                    Title = Settings.Package,
                    Version = "1.1.0",
                    Bytes = new EspAppImageBuilder { Version = "1.1.0", Size = ImageSize, Seed = 11 }.Build(),
                };
            }

            public DeviceSettings Settings { get; }

            public IPlatformServer Server { get; }

            public PackagedImage V110 { get; }

            public ConcurrentQueue<DeviceReport> Reports { get; } = new ConcurrentQueue<DeviceReport>();

            public SimulatedDevice NewDevice(bool provision)
            {
                var device = new SimulatedDevice(_dir, Settings);
                if (provision)
                {
                    device.Provision(new EspAppImageBuilder { Version = "1.0.0", Size = ImageSize, Seed = 10 }.Build());
                }

                device.Log += line => _output.WriteLine("device: " + line);
                device.AgentChanged += (a, e) =>
                {
                    if (e.Kind != AgentEventKind.Progress)
                    {
                        _output.WriteLine("agent: " + UpdateAgent.StateName(e.State) + (e.Message != null ? " " + e.Message : ""));
                    }
                };
                return device;
            }

            public void Dispose()
            {
                Server.Dispose();
                _files.Dispose();
                _broker.Dispose();
                try
                {
                    Directory.Delete(_dir, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
