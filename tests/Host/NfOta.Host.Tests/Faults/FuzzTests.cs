using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using MQTTnet;
using NfOta.Agent;
using NfOta.Images;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Pc.Sim;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Faults
{
    /// <summary>
    /// Fuzzing of every inbound parser: each platform's messages through the real agent (seeded from the
    /// messages a real update on that platform carried, then mutated), the settings file, HTTP response
    /// heads from a raw TCP server, and ESP-IDF image headers. Deterministic seeds; a few seconds per
    /// parser by default, many more inputs with NFOTA_FUZZ_FULL=1. Each prints how many inputs it tried.
    /// </summary>
    [Collection(FuzzCollection.Name)]
    public sealed class FuzzTests
    {
        private const long MemoryBoundBytes = 16 * 1024 * 1024;
        private readonly ITestOutputHelper _output;

        public FuzzTests(ITestOutputHelper output) => _output = output;

        public static bool Full => Environment.GetEnvironmentVariable("NFOTA_FUZZ_FULL") == "1";

        private static int Budget(int fast, int full) => Full ? full : fast;

        public static IEnumerable<object[]> Platforms() => PlatformAdapters.Names.Select(p => new object[] { p });

        // ---- platform messages through the agent ----

        [Theory]
        [MemberData(nameof(Platforms))]
        public void PlatformMessagesNeverBreakTheAgent(string platform)
        {
            var seeds = CaptureDeviceInbound(platform, out DeviceSettings settings);
            Assert.Contains(seeds, s => IsJson(s.Payload));
            settings.Retries = 2;
            settings.TimeoutMs = 1000;
            _output.WriteLine(platform + ": " + seeds.Count + " seed messages on " + string.Join(", ", seeds.Select(s => s.Topic).Distinct().Take(6)));

            using var files = new RangeFileServer();
            var rng = new Random(20261202 ^ platform.GetHashCode(StringComparison.Ordinal) & 0xFFFF);

            // 1. Known-bad offers: every version, size, checksum and URL field of every offer seed set to
            // an absurd value, of the wrong type, or removed. Each must end in the platform's failure report.
            int targeted = 0, reported = 0;
            var unreported = new List<string>();
            foreach (var (topic, payload) in seeds.Where(s => IsJson(s.Payload) && s.Payload.Length < 8192))
            {
                foreach (var bad in BadOffers(payload))
                {
                    var fuzz = new FuzzDevice(platform, settings, files);
                    fuzz.Deliver(topic, bad);
                    fuzz.RunWhileBusy();
                    fuzz.CheckInvariants(topic, bad);
                    if (fuzz.Kind == InboundKind.Ignored || fuzz.Kind == InboundKind.NoUpdate && fuzz.Failures == 0)
                    {
                        // Not an offer to this device after the change (such as a topic-level key removed).
                        continue;
                    }

                    targeted++;
                    if (fuzz.Failures > 0)
                    {
                        reported++;
                    }
                    else
                    {
                        unreported.Add(topic + " " + Encoding.UTF8.GetString(bad) + " -> " + UpdateAgent.StateName(fuzz.Agent.State)
                            + " " + fuzz.Agent.LastMessage + " (" + fuzz.Kind + ")");
                    }
                }
            }

            foreach (var u in unreported.Take(10))
            {
                _output.WriteLine("not reported: " + u);
            }

            _output.WriteLine(platform + ": " + targeted + " known-bad offers, " + reported + " reported as failures the platform's way");
            Assert.True(targeted > 0, "the seeds held an offer");
            Assert.Empty(unreported);

            // 2. Random mutations of every seed (bytes, JSON values, topics), delivered in sequence to one
            // device, with the original offer now and then so chunk messages meet a download in progress.
            int count = Budget(4000, 200000);
            var device = new FuzzDevice(platform, settings, files);
            long baseline = Memory();
            long peak = baseline;
            int installs = 0;
            var timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                var seed = seeds[rng.Next(seeds.Count)];
                string topic = seed.Topic;
                byte[] payload = seed.Payload;
                int pick = rng.Next(100);
                if (pick < 8)
                {
                    // unmutated: starts downloads, so chunk mutations are parsed mid-download
                }
                else if (pick < 45)
                {
                    payload = MutateJson(payload, rng);
                }
                else if (pick < 75)
                {
                    payload = MutateBytes(payload, rng);
                }
                else if (pick < 92)
                {
                    topic = MutateTopic(topic, rng);
                }
                else
                {
                    payload = Junk(rng);
                }

                device.Deliver(topic, payload);
                device.Step(rng.Next(3) == 0 ? rng.Next(5000) : 50);
                device.CheckInvariants(topic, payload);
                if (device.Agent.RestartRequested)
                {
                    // An unmutated offer and chunk sequence completed a real install: start a fresh device.
                    installs++;
                    device = new FuzzDevice(platform, settings, files);
                }

                if (i % (count / 10) == 0)
                {
                    peak = Math.Max(peak, Memory());
                }
            }

            peak = Math.Max(peak, Memory());
            _output.WriteLine(platform + ": " + count + " mutated messages in " + timer.ElapsedMilliseconds + " ms, "
                + device.TotalFailures + " failure reports from the last device, " + installs + " complete installs from unmutated seeds, "
                + "managed memory " + baseline / 1024 + " KB -> peak " + peak / 1024 + " KB");
            Assert.True(peak - baseline < MemoryBoundBytes, "memory grew by " + (peak - baseline) / 1024 + " KB");
            GC.KeepAlive(device);
        }

        // ---- settings file ----

        [Fact]
        public void SettingsFilesNeverThrowAndWhatIsAcceptedRunsAnAgent()
        {
            var rng = new Random(7);
            var examples = Directory.GetFiles(Path.Combine(NfOta.Pc.Device.RehearsalSettings.RepositoryFolder("examples"), "settings"), "*.json")
                .OrderBy(f => f).Select(File.ReadAllBytes).ToArray();
            Assert.NotEmpty(examples);
            int count = Budget(5000, 200000), accepted = 0, agents = 0;
            long baseline = Memory();
            var timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                byte[] input = examples[rng.Next(examples.Length)];
                int mutations = 1 + rng.Next(3);
                for (int m = 0; m < mutations; m++)
                {
                    input = rng.Next(3) == 0 ? MutateBytes(input, rng) : MutateJson(input, rng);
                }

                SettingsResult r;
                try
                {
                    r = SettingsParser.Parse(input);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException("SettingsParser.Parse threw " + e.GetType().Name + " on: " + Encoding.UTF8.GetString(input));
                }

                if (!r.Ok)
                {
                    Assert.False(string.IsNullOrEmpty(r.Error));
                    Assert.DoesNotContain('\n', r.Error);
                    continue;
                }

                accepted++;
                if (accepted % 2 == 0)
                {
                    // Whatever the parser accepts must make a working agent (buffers sized from the settings).
                    var adapter = PlatformAdapters.Create(r.Settings);
                    Assert.NotNull(adapter);
                    var boot = new RamBootControl(AgentRig.SlotSize);
                    var ports = new AgentPorts { Mqtt = new ScriptedMqtt(), Http = new MemoryRangeSource(), Boot = boot, Clock = new ManualClock(), Storage = new MemoryStorage() };
                    var agent = new UpdateAgent(r.Settings, adapter, ports, "1.0.0", null);
                    agent.Poll(0);
                    agents++;
                }
            }

            long grown = Memory() - baseline;
            _output.WriteLine("settings: " + count + " mutated files in " + timer.ElapsedMilliseconds + " ms, " + accepted + " accepted, "
                + agents + " agents started from accepted ones, managed memory grew " + grown / 1024 + " KB");
            Assert.True(grown < MemoryBoundBytes);
        }

        // ---- HTTP response heads ----

        [Fact]
        public void HttpResponseHeadsNeverThrowAndNeverSpliceAWrongRange()
        {
            var rng = new Random(99);
            using var server = new RawHttpServer();
            using var source = new HttpClientRangeSource { OpenTimeoutMs = 2000, ReadTimeoutMs = 2000 };
            int count = Budget(600, 20000);
            var outcomes = new Dictionary<HttpOpenResult, int>();
            var buffer = new byte[4096];
            var timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                long offset = rng.Next(3) == 0 ? 0 : rng.Next(1, 100000);
                byte[] response = GarbageResponse(rng, offset);
                server.Next = response;
                HttpOpenResult opened;
                long total = 0;
                try
                {
                    opened = source.Open(server.Url, offset);
                    if (opened == HttpOpenResult.Ok || opened == HttpOpenResult.RangeIgnored)
                    {
                        long body = source.BodyLength;
                        int n;
                        while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            Assert.True(n <= buffer.Length);
                            total += n;
                            Assert.True(body < 0 || total <= body, "read past the announced body length " + body + ": " + Encoding.ASCII.GetString(response));
                        }

                        Assert.True(n == 0 || n == -1);
                    }

                    source.Close();
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    throw new Xunit.Sdk.XunitException("HttpClientRangeSource threw " + e.GetType().Name + " (" + e.Message + ") on: " + Encoding.ASCII.GetString(response));
                }

                Assert.True(Enum.IsDefined(typeof(HttpOpenResult), opened));
                outcomes[opened] = outcomes.GetValueOrDefault(opened) + 1;
                if (opened == HttpOpenResult.Ok && offset > 0)
                {
                    // Only a 206 whose Content-Range starts at the asked offset may be appended to what the device has.
                    string head = Encoding.ASCII.GetString(response);
                    Assert.True(head.StartsWith("HTTP/1.1 206", StringComparison.Ordinal) || head.StartsWith("HTTP/1.0 206", StringComparison.Ordinal),
                        "Ok for offset " + offset + " from: " + head.Split("\r\n\r\n")[0]);
                }
            }

            _output.WriteLine("HTTP heads: " + count + " responses in " + timer.ElapsedMilliseconds + " ms: "
                + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => o.Key + " " + o.Value)));
            Assert.True(outcomes.Count >= 4, "the garbage reached several outcomes");
        }

        private static byte[] GarbageResponse(Random rng, long offset)
        {
            string[] statusLines =
            {
                "HTTP/1.1 206 Partial Content", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 416 Range Not Satisfiable",
                "HTTP/1.1 403 Forbidden", "HTTP/1.1 500 Oops", "HTTP/1.1 999 Weird", "HTTP/1.1 -1 Negative", "HTTP/1.1 2000000000000 Big",
                "HTTP/9.9 200 OK", "HTTP/1.1 206", "HTTP/1.1 abc Letters", "garbage", "", "HTTP/1.0 206 Partial Content",
                "HTTP/1.1 206 Partial Content extra words here", "HTTP/1.1 100 Continue", "HTTP/1.1 301 Moved",
            };
            string[] contentRanges =
            {
                "bytes " + offset + "-" + (offset + 99) + "/" + (offset + 100), "bytes " + offset + "-" + (offset + 99) + "/*",
                "bytes 0-99/100", "bytes 100-50/10", "bytes -5-10/100", "bytes " + offset + "-99999999999999999999/1",
                "bytes */*", "bytes */12345", "items 0-1/2", "bytes " + offset + "-9223372036854775806/9223372036854775807", "",
                "bytes =1-2/3", "bytes " + offset + "-" + (offset - 1) + "/" + offset, "bytes " + offset + "-" + (offset + 9) + "/" + (offset + 5),
                "bytes x-y/z", new string('9', 5000),
            };
            string[] contentLengths = { "100", "0", "-1", "99999999999999999999", "abc", "10, 20", "9223372036854775807", "1e3", " 100 " };
            var head = new StringBuilder();
            // Half of them 206 or 200, so most reach the Content-Range and Content-Length checks.
            head.Append(statusLines[rng.Next(2) == 0 ? rng.Next(2) : rng.Next(statusLines.Length)]).Append("\r\n");
            int headers = rng.Next(5);
            for (int h = 0; h < headers; h++)
            {
                switch (rng.Next(7))
                {
                    case 0:
                    case 1:
                        head.Append("Content-Range: ").Append(contentRanges[rng.Next(contentRanges.Length)]).Append("\r\n");
                        break;
                    case 2:
                    case 3:
                        head.Append("Content-Length: ").Append(contentLengths[rng.Next(contentLengths.Length)]).Append("\r\n");
                        break;
                    case 4:
                        head.Append("Transfer-Encoding: chunked\r\n");
                        break;
                    case 5:
                        head.Append("no colon here\r\n");
                        break;
                    default:
                        head.Append("X-Long: ").Append(new string('x', rng.Next(1, 70000))).Append("\r\n");
                        break;
                }
            }

            head.Append("Connection: close\r\n");
            if (rng.Next(8) != 0)
            {
                head.Append("\r\n");
            }

            var bytes = Encoding.ASCII.GetBytes(head.ToString()).ToList();
            var body = new byte[rng.Next(3) == 0 ? 0 : rng.Next(1, 300)];
            rng.NextBytes(body);
            if (rng.Next(6) == 0)
            {
                body = Encoding.ASCII.GetBytes(new[] { "5\r\nhello\r\n0\r\n\r\n", "zz\r\nbad\r\n", "FFFFFFFFFFFFFFFF\r\nx", "3\r\nab" }[rng.Next(4)]);
            }

            bytes.AddRange(body);
            if (rng.Next(10) == 0)
            {
                // Raw bytes anywhere.
                for (int k = 0; k < 1 + rng.Next(5); k++)
                {
                    bytes[rng.Next(bytes.Count)] = (byte)rng.Next(256);
                }
            }

            return bytes.ToArray();
        }

        /// <summary>A TCP server that answers each request with the bytes it is given, then closes the connection.</summary>
        private sealed class RawHttpServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly Thread _thread;
            private volatile bool _stopped;

            public RawHttpServer()
            {
                _listener.Start();
                Url = "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/fw.bin";
                _thread = new Thread(Serve) { IsBackground = true, Name = "raw-http" };
                _thread.Start();
            }

            public string Url { get; }

            public volatile byte[] Next = Array.Empty<byte>();

            private void Serve()
            {
                while (!_stopped)
                {
                    Socket socket;
                    try
                    {
                        socket = _listener.AcceptSocket();
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    try
                    {
                        socket.ReceiveTimeout = 2000;
                        var head = new List<byte>();
                        var one = new byte[1];
                        while (head.Count < 65536 && socket.Receive(one) == 1)
                        {
                            head.Add(one[0]);
                            int c = head.Count;
                            if (c >= 4 && head[c - 4] == '\r' && head[c - 3] == '\n' && head[c - 2] == '\r' && head[c - 1] == '\n')
                            {
                                break;
                            }
                        }

                        socket.Send(Next);
                        socket.Shutdown(SocketShutdown.Both);
                    }
                    catch (Exception)
                    {
                    }
                    finally
                    {
                        socket.Dispose();
                    }
                }
            }

            public void Dispose()
            {
                _stopped = true;
                _listener.Stop();
                _thread.Join(2000);
            }
        }

        // ---- ESP-IDF image headers ----

        [Fact]
        public void EspImageHeadersNeverThrowAndNeverReadOutOfBounds()
        {
            var rng = new Random(5);
            var valid = new EspAppImageBuilder { Version = "1.2.3", Size = 4096, Seed = 3 }.Build();
            var good = EspAppImage.Parse(valid, 0, valid.Length);
            Assert.True(good.Ok, "the builder's image parses");
            int count = Budget(50000, 2000000), ok = 0;
            var errors = new Dictionary<EspImageError, int>();
            var timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                int length = Math.Min(valid.Length, EspAppImage.MinimumLength + 64);
                byte[] image = valid.Take(length).ToArray();
                int edits = 1 + rng.Next(6);
                for (int e = 0; e < edits; e++)
                {
                    int at = rng.Next(3) == 0 ? rng.Next(EspAppImage.MinimumLength) : rng.Next(EspAppImage.AppDescOffset + 16);
                    image[at] = rng.Next(4) == 0 ? (byte)0xFF : (byte)rng.Next(256);
                }

                int offset = rng.Next(4) == 0 ? rng.Next(0, 40) : 0;
                int count2 = rng.Next(5) == 0 ? rng.Next(0, image.Length + 1 - offset) : image.Length - offset;
                if (offset > image.Length)
                {
                    offset = 0;
                }

                EspAppImage parsed;
                try
                {
                    parsed = EspAppImage.Parse(image, offset, count2);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException("EspAppImage.Parse threw " + e.GetType().Name + " at offset " + offset + ", count " + count2
                        + ": " + Convert.ToHexString(image, 0, EspAppImage.MinimumLength));
                }

                Assert.NotNull(parsed);
                if (parsed.Ok)
                {
                    ok++;
                    Assert.True(parsed.SegmentCount >= 1 && parsed.SegmentCount <= EspAppImage.MaxSegments, "segments " + parsed.SegmentCount);
                    Assert.True(parsed.Version != null && parsed.Version.Length <= 32, "version " + parsed.Version);
                    Assert.True(count2 >= EspAppImage.MinimumLength);
                }
                else
                {
                    errors[parsed.Error] = errors.GetValueOrDefault(parsed.Error) + 1;
                }
            }

            _output.WriteLine("ESP-IDF image headers: " + count + " mutated headers in " + timer.ElapsedMilliseconds + " ms, " + ok + " still valid, refused: "
                + string.Join(", ", errors.OrderBy(e => e.Key).Select(e => e.Key + " " + e.Value)));
            Assert.True(errors.Count >= 3, "the mutations reached several checks");
        }

        /// <summary>Every message the device heard during a real update on the platform (a small image), in order.</summary>
        private List<(string Topic, byte[] Payload)> CaptureDeviceInbound(string platform, out DeviceSettings settings)
        {
            var heard = new ConcurrentQueue<(string, byte[])>();
            using var rig = new FaultRig(platform, "embedded", new NullOutput());
            var tap = new MqttClientFactory().CreateMqttClient();
            tap.ApplicationMessageReceivedAsync += e =>
            {
                heard.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
                return System.Threading.Tasks.Task.CompletedTask;
            };
            tap.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(rig.Broker.Host, rig.Broker.Port).WithClientId("tap").Build()).GetAwaiter().GetResult();
            // "#" does not match topics that start with '$' (Tencent's $ota/...): subscribe the device's own filters too.
            tap.SubscribeAsync("#").GetAwaiter().GetResult();
            foreach (var f in PlatformAdapters.Create(rig.Settings).SubscribeTopics.Where(f => f.StartsWith('$')))
            {
                tap.SubscribeAsync(f).GetAwaiter().GetResult();
            }

            rig.ReleaseAndExpectUpdate();
            tap.DisconnectAsync().GetAwaiter().GetResult();
            tap.Dispose();
            settings = rig.Settings;
            var filters = PlatformAdapters.Create(settings).SubscribeTopics;
            var inbound = heard.Where(m => filters.Any(f => TopicMatches(f, m.Item1))).ToList();
            // Keep every small message and a few chunks: enough to reach every parse path.
            var binary = inbound.Where(m => !IsJson(m.Item2)).Take(4);
            return inbound.Where(m => IsJson(m.Item2)).Concat(binary).ToList();
        }

        private static bool TopicMatches(string filter, string topic)
        {
            var f = filter.Split('/');
            var t = topic.Split('/');
            for (int i = 0; i < f.Length; i++)
            {
                if (f[i] == "#")
                {
                    return true;
                }

                if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
                {
                    return false;
                }
            }

            return f.Length == t.Length;
        }

        private static bool IsJson(byte[] payload)
        {
            if (payload.Length == 0 || (payload[0] != '{' && payload[0] != '['))
            {
                return false;
            }

            try
            {
                return JsonNode.Parse(payload) != null;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static readonly string[] VersionKeys = { "version" };
        private static readonly string[] SizeKeys = { "size" };
        private static readonly string[] HashKeys = { "checksum", "md5", "sign", "hash", "digest", "sha" };
        private static readonly string[] UrlKeys = { "url" };

        private static JsonNode[] BadVersions() => new JsonNode[]
        {
            JsonValue.Create(""), JsonValue.Create("not a version"), JsonValue.Create("99999999999999999999999.0.0"),
            JsonValue.Create("1.0.0.0.0.0.0.0.0.0.0.0"), JsonValue.Create("-1.0.0"), JsonValue.Create("0.9.0"),
            JsonValue.Create(new string('9', 5000)), JsonValue.Create(1.5), JsonValue.Create(true), null, new JsonArray(), new JsonObject(),
        };

        private static JsonNode[] BadSizes() => new JsonNode[]
        {
            JsonValue.Create(-1), JsonValue.Create(-9223372036854775807L), JsonValue.Create(2147483648L), JsonValue.Create(long.MaxValue),
            JsonValue.Create(1e30), JsonValue.Create(64L * 1024 * 1024), JsonValue.Create("abc"), JsonValue.Create(1.5), null, new JsonArray(),
        };

        private static JsonNode[] BadHashes() => new JsonNode[]
        {
            JsonValue.Create(""), JsonValue.Create("zz"), JsonValue.Create(new string('a', 5000)), JsonValue.Create("RSA-4096"),
            JsonValue.Create(12), null, new JsonArray(), new JsonObject(),
        };

        private static JsonNode[] BadUrls() => new JsonNode[]
        {
            JsonValue.Create(""), JsonValue.Create("ftp://example.com/fw.bin"), JsonValue.Create("http://"), JsonValue.Create("not a url"),
            JsonValue.Create("http://" + new string('a', 5000) + "/fw.bin"), JsonValue.Create("javascript:alert(1)"), JsonValue.Create(12), null,
        };

        /// <summary>The offer with one version, size, checksum or URL field made absurd, mistyped or removed.</summary>
        private static IEnumerable<byte[]> BadOffers(byte[] payload)
        {
            var root = JsonNode.Parse(payload);
            var leaves = Leaves(root).ToList();
            for (int k = 0; k < leaves.Count; k++)
            {
                string key = leaves[k].Key.ToLowerInvariant();
                JsonNode[] values =
                    VersionKeys.Any(key.Contains) ? BadVersions()
                    : SizeKeys.Any(key.Contains) ? BadSizes()
                    : UrlKeys.Any(key.Contains) ? BadUrls()
                    : HashKeys.Any(key.Contains) ? BadHashes()
                    : null;
                if (values == null)
                {
                    continue;
                }

                foreach (var v in values.Append(Removed))
                {
                    var copy = JsonNode.Parse(payload);
                    var (parent, name) = Leaves(copy).ElementAt(k);
                    if (ReferenceEquals(v, Removed))
                    {
                        parent.Remove(name);
                    }
                    else
                    {
                        parent[name] = v?.DeepClone();
                    }

                    yield return Encoding.UTF8.GetBytes(copy.ToJsonString());
                }
            }
        }

        private static readonly JsonObject Removed = new JsonObject();

        /// <summary>Every property of every object in the document, depth first, in document order.</summary>
        private static IEnumerable<(JsonObject Parent, string Key)> Leaves(JsonNode node)
        {
            if (node is JsonObject o)
            {
                foreach (var p in o.ToList())
                {
                    if (p.Value is JsonObject || p.Value is JsonArray)
                    {
                        foreach (var inner in Leaves(p.Value))
                        {
                            yield return inner;
                        }
                    }
                    else
                    {
                        yield return (o, p.Key);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a)
                {
                    foreach (var inner in Leaves(item))
                    {
                        yield return inner;
                    }
                }
            }
        }

        private static readonly Func<Random, JsonNode>[] WeirdValues =
        {
            r => JsonValue.Create(r.Next(int.MinValue, int.MaxValue)),
            r => JsonValue.Create(long.MaxValue),
            r => JsonValue.Create(-1),
            r => JsonValue.Create(0),
            r => JsonValue.Create(1e308),
            r => JsonValue.Create(-0.5),
            r => JsonValue.Create(""),
            r => JsonValue.Create(new string((char)('a' + r.Next(26)), r.Next(1, 3000))),
            r => JsonValue.Create("\u0000\uFFFF\uD800"),
            r => JsonValue.Create(r.Next(1000) + "." + r.Next(1000) + "." + r.Next(1000)),
            r => JsonValue.Create("999999999999.0.0-" + new string('x', r.Next(100))),
            r => JsonValue.Create(r.Next(2) == 0),
            r => null,
            r => new JsonArray(JsonValue.Create(1), JsonValue.Create("x")),
            r => new JsonObject { ["a"] = new JsonObject { ["b"] = JsonValue.Create(1) } },
        };

        private static byte[] MutateJson(byte[] payload, Random rng)
        {
            if (!IsJson(payload))
            {
                return MutateBytes(payload, rng);
            }

            JsonNode root;
            List<(JsonObject Parent, string Key)> leaves;
            try
            {
                root = JsonNode.Parse(payload);
                leaves = Leaves(root).ToList();
            }
            catch (Exception)
            {
                // Bytes System.Text.Json will not decode (invalid UTF-8 inside a string).
                return MutateBytes(payload, rng);
            }

            int edits = 1 + rng.Next(3);
            for (int e = 0; e < edits && leaves.Count > 0; e++)
            {
                var (parent, key) = leaves[rng.Next(leaves.Count)];
                if (!parent.ContainsKey(key))
                {
                    continue;
                }

                switch (rng.Next(4))
                {
                    case 0:
                        parent.Remove(key);
                        break;
                    case 1:
                        // A value nested deeper than any parser should follow.
                        JsonNode deep = JsonValue.Create(1);
                        for (int d = 0; d < 200; d++)
                        {
                            deep = new JsonArray(deep);
                        }

                        parent[key] = deep;
                        break;
                    default:
                        parent[key] = WeirdValues[rng.Next(WeirdValues.Length)](rng);
                        break;
                }
            }

            return Encoding.UTF8.GetBytes(root.ToJsonString());
        }

        private static byte[] MutateBytes(byte[] payload, Random rng)
        {
            var b = payload.ToList();
            switch (rng.Next(6))
            {
                case 0:
                    return payload.Take(rng.Next(payload.Length + 1)).ToArray();
                case 1:
                    for (int i = 0; i < 1 + rng.Next(8) && b.Count > 0; i++)
                    {
                        b[rng.Next(b.Count)] = (byte)rng.Next(256);
                    }

                    return b.ToArray();
                case 2:
                    for (int i = 0; i < 1 + rng.Next(8) && b.Count > 0; i++)
                    {
                        b.RemoveAt(rng.Next(b.Count));
                    }

                    return b.ToArray();
                case 3:
                    b.InsertRange(rng.Next(b.Count + 1), Encoding.UTF8.GetBytes(new[] { "{", "}", "[", "]", "\"", ",", ":", "\\u", "-", "9e999", "null" }[rng.Next(11)]));
                    return b.ToArray();
                case 4:
                    // Structural characters swapped for others.
                    for (int i = 0; i < b.Count; i++)
                    {
                        if ((b[i] == '"' || b[i] == ',' || b[i] == ':') && rng.Next(10) == 0)
                        {
                            b[i] = (byte)"\"{}[],:0"[rng.Next(8)];
                        }
                    }

                    return b.ToArray();
                default:
                    return payload.Concat(payload).ToArray();
            }
        }

        private static string MutateTopic(string topic, Random rng)
        {
            var parts = topic.Split('/');
            int i = rng.Next(parts.Length);
            string[] replacements =
            {
                "other-device", "", "+", "#", "-1", "2147483648", "99999999999999999999", "0x10", "1e3", " 1", "00000000000000000000001",
                parts[i].ToUpperInvariant(), parts[i] + "x", new string('9', 9), "０",
            };
            switch (rng.Next(4))
            {
                case 0:
                    return topic + "/" + replacements[rng.Next(replacements.Length)];
                case 1:
                    return string.Join('/', parts.Take(Math.Max(1, i)));
                default:
                    parts[i] = replacements[rng.Next(replacements.Length)];
                    return string.Join('/', parts);
            }
        }

        private static byte[] Junk(Random rng)
        {
            switch (rng.Next(4))
            {
                case 0:
                    return Array.Empty<byte>();
                case 1:
                    return Enumerable.Repeat((byte)'[', 100000).ToArray();
                case 2:
                    var big = new byte[rng.Next(1, 300000)];
                    rng.NextBytes(big);
                    return big;
                default:
                    var small = new byte[rng.Next(1, 64)];
                    rng.NextBytes(small);
                    return small;
            }
        }

        private static long Memory()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return GC.GetTotalMemory(true);
        }

        /// <summary>
        /// The real agent on RAM flash with a manual clock and a scripted broker link; whatever it
        /// publishes is read by the platform's stand-in server, which says whether it is a failure report.
        /// Nothing is ever served, so an accepted offer also ends in a failure.
        /// </summary>
        private sealed class FuzzDevice
        {
            private readonly byte[] _factory = AgentRig.MakeImage("1.0.0", 20000, true);
            private readonly ScriptedMqtt _mqtt = new ScriptedMqtt();
            private readonly IPlatformAdapter _probe;
            private readonly InboundMessage _probed = new InboundMessage();
            private int _failuresBefore;

            public FuzzDevice(string platform, DeviceSettings settings, RangeFileServer files)
            {
                var server = (MqttPlatformServer)PlatformServers.Create(platform, settings, files);
                server.ReportReceived += r =>
                {
                    if (r.IsFailure)
                    {
                        TotalFailures++;
                    }
                };
                _mqtt.Responder = (t, p) => server.Hear(t, p);
                Boot.Slots[0].Write(0, _factory, 0, _factory.Length);
                Boot.Slots[0].Writes = 0;
                var ports = new AgentPorts { Mqtt = _mqtt, Http = new MemoryRangeSource(), Boot = Boot, Clock = Clock, Storage = new MemoryStorage() };
                _probe = PlatformAdapters.Create(settings);
                Agent = new UpdateAgent(settings, PlatformAdapters.Create(settings), ports, "1.0.0", null);
                Agent.Poll(0); // connect, subscribe, say hello
            }

            public RamBootControl Boot { get; } = new RamBootControl(AgentRig.SlotSize);

            public ManualClock Clock { get; } = new ManualClock();

            public UpdateAgent Agent { get; }

            public int TotalFailures { get; private set; }

            /// <summary>Failure reports since the last <see cref="Deliver"/>.</summary>
            public int Failures => TotalFailures - _failuresBefore;

            /// <summary>How a separate adapter instance classified the last delivered message.</summary>
            public InboundKind Kind { get; private set; }

            public void Deliver(string topic, byte[] payload)
            {
                _failuresBefore = TotalFailures;
                _probed.Clear();
                try
                {
                    _probe.Parse(topic, payload, _probed, new NullPublisher());
                    Kind = _probed.Kind;
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException("the " + _probe.Name + " adapter threw " + e.GetType().Name + " on " + topic + ": " + Repro(payload));
                }

                _mqtt.Deliver(topic, payload);
            }

            public void Step(int advanceMs)
            {
                // ScriptedMqtt keeps every published topic for core tests; the fuzz run has no use for them.
                _mqtt.Published.Clear();
                Agent.Poll(0);
                Clock.Advance(advanceMs);
            }

            /// <summary>Polls (moving the clock) until the agent is no longer busy with an update, or a bound.</summary>
            public void RunWhileBusy()
            {
                for (int i = 0; i < 2000; i++)
                {
                    Agent.Poll(0);
                    var s = Agent.State;
                    if (Agent.RestartRequested || (s != UpdateState.Offered && s != UpdateState.Downloading && s != UpdateState.Verifying && s != UpdateState.Staged))
                    {
                        return;
                    }

                    Clock.Advance(500);
                }

                throw new Xunit.Sdk.XunitException("the agent stayed " + UpdateAgent.StateName(Agent.State) + " for 1000 s of clock");
            }

            public void CheckInvariants(string topic, byte[] payload)
            {
                Assert.True(Boot.Running == 0, "the running slot changed after " + topic + ": " + Repro(payload));
                Assert.True(Boot.Slots[0].Writes == 0 || SlotZeroIntact(), "the running image was written after " + topic + ": " + Repro(payload));
                Assert.False(Agent.State == UpdateState.Rebooting && !Agent.RestartRequested);
            }

            private bool SlotZeroIntact()
            {
                var b = new byte[_factory.Length];
                Boot.Slots[0].Read(0, b, 0, b.Length);
                return b.AsSpan().SequenceEqual(_factory);
            }

            private static string Repro(byte[] payload) =>
                payload.Length > 400 ? Convert.ToBase64String(payload, 0, 400) + "... (" + payload.Length + " bytes)" : Encoding.UTF8.GetString(payload);
        }

        private sealed class NullPublisher : IPublisher
        {
            public bool Publish(string topic, byte[] payload, int qos) => true;
        }

        private sealed class NullOutput : ITestOutputHelper
        {
            public void WriteLine(string message)
            {
            }

            public void WriteLine(string format, params object[] args)
            {
            }
        }
    }

    /// <summary>
    /// The fuzz tests measure the process's managed memory, so they run on their own, not alongside
    /// tests that start brokers and devices.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class FuzzCollection
    {
        public const string Name = "fuzz (memory measured, not parallel)";
    }
}
