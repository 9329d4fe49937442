using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using NfOta.Agent;
using NfOta.Pc.Device;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Pc.Sim;
using NfOta.Settings;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Faults
{
    /// <summary>
    /// One platform rehearsal for fault tests: a real broker (embedded or mosquitto), the range file
    /// server, the platform's stand-in server, and a simulated ESP32 provisioned with 1.0.0. Optionally
    /// the device reaches the broker through a <see cref="LatencyProxy"/> whose links can be cut.
    /// </summary>
    public sealed class FaultRig : IDisposable
    {
        public const int ImageSize = 160 * 1024;
        public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfota-fault-" + Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _output;

        public FaultRig(string platform, string brokerKind, ITestOutputHelper output, bool viaProxy = false, Action<DeviceSettings> tweak = null)
        {
            _output = output;
            if (brokerKind == "mosquitto")
            {
                Assert.True(MosquittoBroker.IsAvailable, "mosquitto is installed (apt-get install -y mosquitto)");
                var m = new MosquittoBroker();
                m.Start();
                Broker = m;
            }
            else
            {
                var e = new EmbeddedBroker();
                e.Start();
                Broker = e;
            }

            int devicePort = Broker.Port;
            if (viaProxy)
            {
                Proxy = new LatencyProxy(Broker.Host, Broker.Port, 1);
                devicePort = Proxy.Port;
            }

            Settings = RehearsalSettings.ForPlatform(platform, Broker.Host, devicePort, Files.BaseUrl);
            Settings.ChunkSize = 4096;
            Settings.CheckpointBytes = 16384;
            Settings.TimeoutMs = 1500;
            Settings.Retries = 3;
            tweak?.Invoke(Settings);
            Server = PlatformServers.Create(platform, Settings, Files);
            Server.ReportReceived += r =>
            {
                Reports.Enqueue(r);
                output.WriteLine("report: " + r);
            };
            Server.Start(Broker.Host, Broker.Port);
            V110 = new PackagedImage
            {
                Title = Settings.Package,
                Version = "1.1.0",
                Bytes = new EspAppImageBuilder { Version = "1.1.0", Size = ImageSize, Seed = 11 }.Build(),
            };
            Device = new SimulatedDevice(_dir, Settings);
            Device.Provision(new EspAppImageBuilder { Version = "1.0.0", Size = ImageSize, Seed = 10 }.Build());
            Device.Log += line => Say("device: " + line);
            Device.AgentChanged += (a, e) =>
            {
                if (e.Kind != AgentEventKind.Progress)
                {
                    Say("agent: " + UpdateAgent.StateName(e.State) + (e.Message != null ? " " + e.Message : ""));
                    if (e.Message != null)
                    {
                        Notices.Enqueue(e.Message);
                    }
                }
            };
        }

        public IBroker Broker { get; }

        public LatencyProxy Proxy { get; }

        public RangeFileServer Files { get; } = new RangeFileServer();

        public DeviceSettings Settings { get; }

        public IPlatformServer Server { get; }

        public PackagedImage V110 { get; }

        public SimulatedDevice Device { get; }

        public ConcurrentQueue<DeviceReport> Reports { get; } = new ConcurrentQueue<DeviceReport>();

        public ConcurrentQueue<string> Notices { get; } = new ConcurrentQueue<string>();

        /// <summary>Calls <paramref name="action"/> once, on the agent's thread, when the download first passes <paramref name="percent"/>.</summary>
        public void AtPercent(int percent, Action action)
        {
            bool done = false;
            Device.AgentChanged += (a, e) =>
            {
                if (!done && e.Kind == AgentEventKind.Progress && e.Size > 0 && e.Position * 100 / e.Size >= percent)
                {
                    done = true;
                    Say("fault injected at " + (e.Position * 100 / e.Size) + " %");
                    action();
                }
            };
        }

        /// <summary>Releases 1.1.0 and runs the device until it runs 1.1.0 confirmed and the platform heard so.</summary>
        public void ReleaseAndExpectUpdate()
        {
            Server.Release(V110);
            Device.PowerOn();
            bool done = Device.RunUntil(
                () => Device.RunningVersion == "1.1.0" && Device.Agent.State == UpdateState.Confirmed
                    && Reports.Any(r => r.IsSuccess && r.Version == "1.1.0"),
                Deadline);
            Assert.True(done, "state " + UpdateAgent.StateName(Device.Agent?.State ?? UpdateState.Idle) + ": "
                + Device.Agent?.LastMessage + "; reports: " + string.Join(" | ", Reports));
            byte[] running = Device.Flash.Read(Device.RunningPartition.Offset, ImageSize);
            Assert.Equal(V110.Bytes, running);
            Assert.Equal("ota_1", Device.RunningPartition.Name);
            Assert.Equal(0, Device.Flash.Violations);
        }

        /// <summary>Releases 1.1.0 and runs the device until it reports a failure; the old image must still run and boot.</summary>
        public void ReleaseAndExpectFailure(UpdateError expected)
        {
            Server.Release(V110);
            Device.PowerOn();
            bool failed = Device.RunUntil(
                () => Device.Agent.State == UpdateState.Failed && Reports.Any(r => r.IsFailure),
                Deadline);
            Assert.True(failed, "state " + UpdateAgent.StateName(Device.Agent.State) + ": " + Device.Agent.LastMessage
                + "; reports: " + string.Join(" | ", Reports));
            Assert.Equal(expected, Device.Agent.LastError);
            Assert.Equal(1, Device.Boots);
            Assert.Equal("1.0.0", Device.RunningVersion);
            Say("failure report: " + Reports.First(r => r.IsFailure));

            // Power-cycle: the old image still boots.
            Device.PowerOn();
            Assert.Equal("ota_0", Device.RunningPartition.Name);
            Assert.Equal("1.0.0", Device.RunningVersion);
            Assert.Equal(0, Device.Flash.Violations);
        }

        public void Say(string line)
        {
            try
            {
                _output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already ended (a late server thread).
            }
        }

        public void Dispose()
        {
            Device.Dispose();
            Server.Dispose();
            Proxy?.Dispose();
            Files.Dispose();
            Broker.Dispose();
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
