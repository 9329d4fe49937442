using System;
using System.Diagnostics;
using System.Threading;
using NfOta.Agent;
using NfOta.Pc.Net;
using NfOta.Pc.Platform;
using NfOta.Pc.Servers;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;

namespace NfOta.Bench
{
    /// <summary>
    /// Download time of an image over ThingsBoard's MQTT chunks for several chunk windows: the real
    /// agent on a RAM device, MqttNetPort through a <see cref="LatencyProxy"/> (a one-way delay in each
    /// direction) to the in-process broker, and the ThingsBoard stand-in server on the broker directly.
    /// Timed from the Downloading state to Verifying, by the wall clock.
    /// Two transports: MqttNetPort as it is (a QoS 1 publish waits for its PUBACK, so each chunk
    /// request costs a round trip on the agent's thread), and the same port behind a queue that
    /// returns at once, as nanoFramework's M2Mqtt Publish does.
    /// Arguments: image KiB (default 1536), one-way delay ms (default 20).
    /// </summary>
    public sealed class WindowBench : IBenchSection
    {
        private static readonly int[] Windows = { 1, 2, 4, 8, 16 };

        public string Name => "window";

        public string Summary => "update time over ThingsBoard MQTT chunks vs chunk window, through a broker with added latency";

        public int Run(string[] args)
        {
            int kib = args.Length > 0 && int.TryParse(args[0], out int k) ? k : 1536;
            int delay = args.Length > 1 && int.TryParse(args[1], out int d) ? d : 20;
            var bytes = new byte[kib * 1024];
            new Random(11).NextBytes(bytes);
            var image = new PackagedImage { Title = "main", Version = "2.0.0", Bytes = bytes };
            int defaultWindow = new DeviceSettings().Window;
            int chunkSize = new DeviceSettings().ChunkSize;

            // The publishes that return at once wait for their PUBACK on pool threads; enough of them that
            // 16 in flight do not starve MQTTnet's own continuations (which would measure the pool, not the window).
            ThreadPool.GetMinThreads(out int workers, out int io);
            ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer();
            server.Start(broker.Host, broker.Port);
            server.Release(image);
            using var proxy = new LatencyProxy(broker.Host, broker.Port, delay);

            Console.WriteLine($"{kib} KiB image, {chunkSize}-byte chunks ({(bytes.Length + chunkSize - 1) / chunkSize}), SHA-256; device -> LatencyProxy "
                + $"(+{delay} ms each way) -> embedded MQTTnet broker <- ThingsBoard stand-in; wall clock, Downloading -> Verifying");
            Console.WriteLine($"{"device publish",-22}{"window",7}{"seconds",9}{"KB/s",8}{"speed-up",10}{"requests",10}  result");

            int failures = 0;
            foreach (bool queued in new[] { false, true })
            {
                double baseline = 0;
                foreach (int window in Windows)
                {
                    int servedBefore = server.ChunksServed;
                    double seconds = Update(proxy, window, queued, out bool ok);
                    int requests = server.ChunksServed - servedBefore;
                    failures += ok ? 0 : 1;
                    if (window == 1)
                    {
                        baseline = seconds;
                    }

                    string label = queued ? "returns at once" : "waits for PUBACK";
                    string w = window + (window == defaultWindow ? "*" : "");
                    Console.WriteLine($"{label,-22}{w,7}{seconds,9:F2}{bytes.Length / seconds / 1000,8:F0}{baseline / seconds,9:F2}x{requests,10}  {(ok ? "verified" : "FAILED")}");
                }
            }

            Console.WriteLine($"* the settings' default window; KB = 1000 bytes; requests = chunks the server answered (re-requests included)");
            return failures == 0 ? 0 : 1;
        }

        private static double Update(LatencyProxy proxy, int window, bool queued, out bool ok)
        {
            var settings = new DeviceSettings { Platform = "thingsboard", AccessToken = "bench-window", Package = "main", Window = window };
            var device = new BenchDevice();
            using var mqttNet = new MqttNetPort(proxy.Host, proxy.Port);
            using var queue = queued ? new QueuedPublishPort(mqttNet) : null;
            IMqttPort port = queued ? queue : mqttNet;
            var agent = new UpdateAgent(settings, new ThingsBoardAdapter(settings), device.Ports(port, null, new SystemClock()), "1.0.0", null);
            var watch = new Stopwatch();
            agent.Changed += (sender, e) =>
            {
                if (e.Kind != AgentEventKind.StateChanged)
                {
                    return;
                }

                if (e.State == UpdateState.Downloading)
                {
                    watch.Restart();
                }
                else if (e.State == UpdateState.Verifying)
                {
                    watch.Stop();
                }
            };

            var limit = Stopwatch.StartNew();
            while (limit.Elapsed < TimeSpan.FromMinutes(3)
                && agent.State != UpdateState.Staged && agent.State != UpdateState.Rebooting && agent.State != UpdateState.Failed)
            {
                agent.Poll(50);
            }

            ok = agent.State == UpdateState.Staged || agent.State == UpdateState.Rebooting;
            port.Disconnect();
            return watch.Elapsed.TotalSeconds;
        }
    }
}
