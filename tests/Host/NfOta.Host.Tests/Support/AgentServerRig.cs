using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using NfOta.Agent;
using NfOta.Pc.Net;
using NfOta.Pc.Platform;
using NfOta.Pc.Servers;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;
using Xunit;

namespace NfOta.Host.Tests.Support
{
    /// <summary>
    /// A RAM device (the core tests' flash slots, bootloader and journal) running the real UpdateAgent
    /// over a real MQTT connection, for the agent-against-stand-in-server tests of every platform.
    /// It starts on a factory image "1.0.0" and reboots whenever the agent asks.
    /// </summary>
    public sealed class AgentServerRig : IDisposable
    {
        public readonly RamBootControl Boot = new RamBootControl(AgentRig.SlotSize);
        public readonly MemoryStorage Storage = new MemoryStorage();
        public readonly MemoryRangeSource Http = new MemoryRangeSource();
        /// <summary>The real HTTP client instead of <see cref="Http"/>, when set.</summary>
        public IHttpRangeSource RealHttp;
        public readonly DeviceSettings Settings;
        private readonly Func<DeviceSettings, IPlatformAdapter> _makeAdapter;
        private readonly int _brokerPort;
        private MqttNetPort _mqtt;
        public UpdateAgent Agent;

        /// <summary>Small chunks, a short timeout and a report every 25 %, so a test update is quick and visible.</summary>
        public AgentServerRig(DeviceSettings settings, Func<DeviceSettings, IPlatformAdapter> makeAdapter, int brokerPort)
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

        /// <summary>An image of 30000 bytes with the version inside; its self-test passes or fails.</summary>
        public static PackagedImage Image(string version, bool selfTestPasses = true) =>
            new PackagedImage { Bytes = AgentRig.MakeImage(version, 30000, selfTestPasses), Version = version, Title = "main" };

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
            var ports = new AgentPorts { Mqtt = _mqtt, Http = RealHttp ?? Http, Boot = Boot, Clock = new SystemClock(), Storage = Storage };
            Agent = new UpdateAgent(Settings, _makeAdapter(Settings), ports, RunningVersion, new SlotSelfTest(Boot));
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

        /// <summary>
        /// Releases <paramref name="image"/> while the device is offline, powers it on and runs it until the
        /// server has received a report matching <paramref name="expected"/>; returns all reports.
        /// </summary>
        public ConcurrentQueue<DeviceReport> RunUpdate(MqttPlatformServer server, PackagedImage image, Func<DeviceReport, bool> expected)
        {
            var reports = new ConcurrentQueue<DeviceReport>();
            server.ReportReceived += r => reports.Enqueue(r);
            server.Release(image); // the device is offline
            PowerOn();
            bool seen = RunUntil(() => { foreach (var r in reports) if (expected(r)) return true; return false; });
            Assert.True(seen, "reports: " + string.Join(" | ", reports) + "; agent: " + Agent.State + " " + Agent.LastMessage);
            return reports;
        }

        public void Dispose() => _mqtt?.Dispose();
    }
}
