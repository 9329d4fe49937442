using System;
using System.Security.Cryptography;
using System.Text;
using NfOta.Agent;
using NfOta.Download;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;

namespace NfOta.Bench
{
    /// <summary>
    /// Bytes the core allocates per chunk while the real <see cref="UpdateAgent"/> downloads an image
    /// (the goal is 0), on the HTTP range path and on ThingsBoard's MQTT chunk path. Every port is
    /// an allocation-free in-memory one, and the chunk path's topics and payload arrays are made
    /// before the download (a transport allocates those per message), so what is counted is the core.
    /// Counting starts after the first checkpoint and stops before the last chunk; each agent
    /// progress event (one per chunk) takes a sample of GC.GetAllocatedBytesForCurrentThread.
    /// Argument: image KiB (default 1024).
    /// </summary>
    public sealed class AllocBench : IBenchSection
    {
        private const int ChunkSize = 4096;
        private const int CheckpointBytes = 65536;
        private const string Url = "http://bench.local/fw.bin";

        public string Name => "alloc";

        public string Summary => "bytes allocated per chunk by the agent's download paths (goal 0), and per call site";

        public int Run(string[] args)
        {
            int kib = args.Length > 0 && int.TryParse(args[0], out int k) ? k : 1024;
            var image = new byte[kib * 1024];
            new Random(7).NextBytes(image);

            Console.WriteLine($"image {kib} KiB, chunk {ChunkSize} B, checkpoint every {CheckpointBytes / 1024} KiB, SHA-256, window 4;"
                + " third run of each path (the first two warm up JIT and tiering)");
            Console.WriteLine("counted: chunks after the first checkpoint up to (not including) the last chunk");
            Console.WriteLine($"{"path",-12}{"chunks",7}{"B/chunk",10}{"w/o ckpt",10}{"plain",8}{"plain max",10}{"ckpts",7}{"B/ckpt",8}{"reports",8}{"B/report",9}  result");

            int failures = 0;
            foreach (bool http in new[] { true, false })
            {
                Samples s = null;
                for (int run = 0; run < 3; run++)
                {
                    s = http ? DownloadOverHttp(image) : DownloadOverChunks(image);
                }

                failures += s.Ok ? 0 : 1;
                s.Print(http ? "HTTP range" : "MQTT chunks");
            }

            Console.WriteLine("w/o ckpt: every counted chunk except those that wrote a checkpoint; plain: neither a checkpoint nor a progress report.");
            Console.WriteLine("A checkpoint saves the journal; a progress report (every 5 %) publishes fw_state telemetry.");
            Console.WriteLine();
            failures += CallSites();
            return failures == 0 ? 0 : 1;
        }

        private static DeviceSettings Settings() => new DeviceSettings
        {
            Platform = "thingsboard",
            AccessToken = "bench-token",
            Package = "main",
            ChunkSize = ChunkSize,
            CheckpointBytes = CheckpointBytes,
            Window = 4,
        };

        private static byte[] OfferJson(byte[] image, bool http)
        {
            string digest = Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant();
            string json = "{\"fw_title\":\"main\",\"fw_version\":\"2.0.0\",\"fw_size\":" + image.Length
                + ",\"fw_checksum_algorithm\":\"SHA256\",\"fw_checksum\":\"" + digest + "\""
                + (http ? ",\"fw_url\":\"" + Url + "\"" : "") + "}";
            return Encoding.UTF8.GetBytes(json);
        }

        private static Samples DownloadOverHttp(byte[] image)
        {
            var device = new BenchDevice();
            var mqtt = new BenchChunkMqtt();
            var agent = new UpdateAgent(Settings(), new ThingsBoardAdapter(Settings()), device.Ports(mqtt, new BenchRangeSource(Url, image), new BenchClock()), "1.0.0", null);
            var s = new Samples(image.Length / ChunkSize + 8, device.Storage, mqtt);
            agent.Changed += s.OnChanged;
            agent.Poll(0); // settle, connect
            mqtt.Inject(ThingsBoardAdapter.AttributesTopic, OfferJson(image, true));
            for (int i = 0; i < 10 && agent.State != UpdateState.Staged && agent.State != UpdateState.Failed; i++)
            {
                agent.Poll(0); // offer; the whole download runs inside one poll; verify
            }

            s.Ok = agent.State == UpdateState.Staged || agent.State == UpdateState.Rebooting;
            return s;
        }

        private static Samples DownloadOverChunks(byte[] image)
        {
            var device = new BenchDevice();
            var mqtt = new BenchChunkMqtt();
            mqtt.Serve(image, ChunkSize, 1); // a fresh adapter's first chunk request id is 1
            var agent = new UpdateAgent(Settings(), new ThingsBoardAdapter(Settings()), device.Ports(mqtt, null, new BenchClock()), "1.0.0", null);
            var s = new Samples(image.Length / ChunkSize + 8, device.Storage, mqtt);
            agent.Changed += s.OnChanged;
            agent.Poll(0);
            mqtt.Inject(ThingsBoardAdapter.AttributesTopic, OfferJson(image, false));
            for (int i = 0; i < 100000 && agent.State != UpdateState.Staged && agent.State != UpdateState.Failed; i++)
            {
                agent.Poll(0);
                mqtt.Deliver();
            }

            s.Ok = agent.State == UpdateState.Staged || agent.State == UpdateState.Rebooting;
            return s;
        }

        /// <summary>One sample per progress event: allocated bytes, storage writes, non-chunk publishes.</summary>
        private sealed class Samples
        {
            private readonly long[] _alloc;
            private readonly int[] _writes;
            private readonly int[] _reports;
            private readonly BenchStorage _storage;
            private readonly BenchChunkMqtt _mqtt;
            private int _n;

            public bool Ok;

            public Samples(int capacity, BenchStorage storage, BenchChunkMqtt mqtt)
            {
                _alloc = new long[capacity];
                _writes = new int[capacity];
                _reports = new int[capacity];
                _storage = storage;
                _mqtt = mqtt;
            }

            public void OnChanged(UpdateAgent sender, AgentEvent e)
            {
                if (e.Kind != AgentEventKind.Progress || _n == _alloc.Length)
                {
                    return;
                }

                _alloc[_n] = GC.GetAllocatedBytesForCurrentThread();
                _writes[_n] = _storage.Writes;
                _reports[_n] = _mqtt.Publishes - _mqtt.ChunkRequests;
                _n++;
            }

            public void Print(string path)
            {
                int first = 1;
                while (first < _n && _writes[first] == _writes[first - 1])
                {
                    first++; // the chunk that wrote the first checkpoint
                }

                long all = 0, noCkpt = 0, plain = 0, plainMax = 0, ckpt = 0, report = 0;
                int chunks = 0, noCkptCount = 0, plainCount = 0, ckptCount = 0, reportCount = 0;
                for (int k = first + 1; k < _n - 1; k++)
                {
                    long d = _alloc[k] - _alloc[k - 1];
                    bool isCkpt = _writes[k] != _writes[k - 1];
                    bool isReport = _reports[k] != _reports[k - 1];
                    chunks++;
                    all += d;
                    if (isCkpt) { ckpt += d; ckptCount++; }
                    else { noCkpt += d; noCkptCount++; }
                    if (isReport) { report += d; reportCount++; }
                    if (!isCkpt && !isReport) { plain += d; plainCount++; plainMax = Math.Max(plainMax, d); }
                }

                Console.WriteLine($"{path,-12}{chunks,7}{Per(all, chunks),10}{Per(noCkpt, noCkptCount),10}{Per(plain, plainCount),8}{plainMax,10}"
                    + $"{ckptCount,7}{Per(ckpt, ckptCount),8}{reportCount,8}{Per(report, reportCount),9}  {(Ok ? "staged" : "FAILED")}");
            }

            private static string Per(long bytes, int count) => count == 0 ? "-" : (bytes / (double)count).ToString("F1");
        }

        // ---- per call site ----

        private sealed class CountingPublisher : IPublisher
        {
            public int Count;

            public bool Publish(string topic, byte[] payload, int qos)
            {
                Count++;
                return true;
            }
        }

        /// <summary>The pieces of the per-chunk path one by one, to say where bytes come from.</summary>
        private static int CallSites()
        {
            const int Calls = 20000;
            var settings = Settings();
            var adapter = new ThingsBoardAdapter(settings);
            var publisher = new CountingPublisher();
            var offer = new UpdateOffer { Version = "2.0.0", Title = "main", Size = 1 << 20, HashAlgorithm = HashAlgorithmKind.Sha256, Hash = "00", Source = DownloadSource.MqttChunks };
            var payload = new byte[ChunkSize];
            var topics = new string[256];
            for (int i = 0; i < topics.Length; i++)
            {
                topics[i] = "v2/fw/response/1/chunk/" + i;
            }

            var message = new InboundMessage();
            var slot = new BenchFlashSlot("ota_1", BenchDevice.SlotSize);
            var receiver = new ImageReceiver();
            var journal = new UpdateJournal(new BenchStorage());
            IIncrementalHash sha = HashFactory.Create(HashAlgorithmKind.Sha256);

            Console.WriteLine($"per call after warm-up ({Calls} calls; Accept: 290 of 4 KiB, Checkpoint: {Calls / 10}):");
            Console.WriteLine($"{"call site",-58}{"B/call",8}");
            Row("ThingsBoardAdapter.RequestChunk (topic prefix + index)", Calls, i => adapter.RequestChunk(offer, i, ChunkSize, publisher));
            Row("ThingsBoardAdapter.Parse (v2/fw/response/1/chunk/N)", Calls, i => adapter.Parse(topics[i & 255], payload, message, publisher));
            // 400 sectors fit the slot: start once (Start allocates the hash), warm on 100 chunks, count 290.
            receiver.Start(slot, BenchDevice.SlotSize, HashAlgorithmKind.Sha256, 1 << 30, 0, null, 0, null);
            Row("ImageReceiver.Accept, 4 KiB (erase, write, read back, hash)", 290, i => receiver.Accept(receiver.Position, payload, 0, ChunkSize), 100);
            Row("UpdateJournal.Checkpoint (hash state + save)", Calls / 10, i => journal.Checkpoint(i * (long)CheckpointBytes, sha));
            Console.WriteLine("RequestChunk's topic string (prefix + index) is per chunk by design: IMqttPort.Publish takes a string, and a");
            Console.WriteLine("transport that queues the message (M2Mqtt) needs its own topic; Parse and Accept must show 0.");
            return 0;
        }

        private static void Row(string name, int calls, Action<int> call, int warm = 1000)
        {
            for (int i = 0; i < warm; i++)
            {
                call(i);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                call(i);
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            Console.WriteLine($"{name,-58}{(after - before) / (double)calls,8:F1}");
        }
    }
}
