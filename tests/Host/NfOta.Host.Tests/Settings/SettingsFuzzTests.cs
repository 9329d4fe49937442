using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using NfOta.Settings;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Settings
{
    /// <summary>
    /// Thousands of broken variants of the example settings (truncated, bytes flipped or dropped, values
    /// swapped for other types, keys renamed or removed, garbage): Parse must never throw, every error must
    /// be one line starting with "settings:", and whatever it accepts must be within the documented ranges.
    /// Deterministic (fixed seed), so a failure reproduces.
    /// </summary>
    public class SettingsFuzzTests
    {
        private readonly ITestOutputHelper _output;

        public SettingsFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void MutatedSettingsNeverThrowAndFailOnOneLine()
        {
            var rng = new Random(20261202);
            var examples = Directory.GetFiles(SettingsExamplesTests.ExamplesDir(), "*.json").OrderBy(f => f).Select(File.ReadAllBytes).ToArray();
            Assert.Equal(6, examples.Length);
            int tried = 0, accepted = 0;
            var errorKinds = new HashSet<string>();

            void Try(byte[] input)
            {
                tried++;
                SettingsResult r;
                try
                {
                    r = SettingsParser.Parse(input);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException("Parse threw " + e.GetType().Name + " for input: " + Encoding.UTF8.GetString(input));
                }
                Check(r, input);
                if (r.Ok) accepted++;
                else errorKinds.Add(Kind(r.Error));
            }

            foreach (byte[] example in examples)
            {
                // every truncation
                for (int n = 0; n < example.Length; n++) Try(example.Take(n).ToArray());
                // random byte flips, drops and duplications
                for (int i = 0; i < 400; i++)
                {
                    var b = example.ToList();
                    int edits = 1 + rng.Next(3);
                    for (int e = 0; e < edits && b.Count > 0; e++)
                    {
                        int at = rng.Next(b.Count);
                        switch (rng.Next(3))
                        {
                            case 0: b[at] = (byte)rng.Next(256); break;
                            case 1: b.RemoveAt(at); break;
                            default: b.Insert(at, b[rng.Next(b.Count)]); break;
                        }
                    }
                    Try(b.ToArray());
                }
                // structural mutations: still JSON, wrong content
                for (int i = 0; i < 600; i++)
                {
                    var root = JsonNode.Parse(example).AsObject();
                    int edits = 1 + rng.Next(3);
                    for (int e = 0; e < edits; e++) MutateTree(root, rng);
                    Try(Encoding.UTF8.GetBytes(root.ToJsonString()));
                }
            }
            // random noise and pathological shapes
            for (int i = 0; i < 500; i++)
            {
                var noise = new byte[rng.Next(200)];
                rng.NextBytes(noise);
                Try(noise);
            }
            Try(Encoding.UTF8.GetBytes(new string('[', 5000)));
            Try(Encoding.UTF8.GetBytes("{\"platform\":\"" + new string('x', 70000) + "\"}"));
            Try(Encoding.UTF8.GetBytes("{\"broker\":{\"host\":\"h\",\"port\":1e999}}"));

            _output.WriteLine("settings fuzz: " + tried + " inputs tried, " + accepted + " accepted, " + errorKinds.Count + " kinds of error");
            foreach (string k in errorKinds.OrderBy(k => k)) _output.WriteLine("  " + k);
            Assert.True(tried > 5000, "only " + tried + " inputs");
            Assert.True(errorKinds.Count > 20, "the mutations reached only " + errorKinds.Count + " kinds of error");
        }

        private static void Check(SettingsResult r, byte[] input)
        {
            string shown = Encoding.UTF8.GetString(input);
            if (!r.Ok)
            {
                Assert.Null(r.Settings);
                Assert.NotNull(r.Error);
                Assert.True(r.Error.StartsWith("settings: ", StringComparison.Ordinal), r.Error);
                Assert.True(r.Error.IndexOfAny(new[] { '\n', '\r', '\u0085', '\u2028', '\u2029' }) < 0, "multi-line error for " + shown + ": " + r.Error);
                Assert.True(r.Error.Length < 300, "long error: " + r.Error);
                return;
            }
            var s = r.Settings;
            Assert.Null(r.Error);
            Assert.Contains(s.Platform, new[] { "thingsboard", "alibaba", "tencent", "enos", "golioth", "selfhosted" });
            Assert.False(string.IsNullOrEmpty(s.BrokerHost), shown);
            Assert.InRange(s.BrokerPort, 1, 65535);
            Assert.InRange(s.ChunkSize, 256, 65536);
            Assert.InRange(s.Window, 1, 32);
            Assert.InRange(s.Retries, 0, 100);
            Assert.InRange(s.TimeoutMs, 100, 600000);
            Assert.InRange(s.ProgressStepPercent, 1, 100);
            Assert.InRange(s.SelfTestTimeoutSeconds, 5, 3600);
            Assert.NotNull(s.AllowedHosts);
            Assert.True(!s.RequireTls || s.BrokerTls, shown);
            if (s.SigningPublicKey != null) Assert.Equal(32, Convert.FromBase64String(s.SigningPublicKey).Length);
        }

        /// <summary>"settings: broker.port must be a number from 1 to 65535" -> "broker.port must".</summary>
        private static string Kind(string error)
        {
            var words = error.Substring("settings: ".Length).Split(' ');
            return string.Join(" ", words.Take(2));
        }

        private static readonly string[] Keys =
        {
            "platform", "broker", "identity", "download", "progress", "selfTest", "security", "host", "port", "tls",
            "caCertificate", "clientId", "username", "password", "productKey", "deviceName", "deviceSecret", "accessToken",
            "package", "chunkSize", "window", "retries", "timeoutMs", "checkpointBytes", "stepPercent", "intervalMs",
            "timeoutSeconds", "requireTls", "allowedHosts", "allowDowngrade", "signingPublicKey", "Host", "port ", "hots", "",
        };

        private static JsonNode RandomValue(Random rng)
        {
            switch (rng.Next(14))
            {
                case 0: return null;
                case 1: return JsonValue.Create(rng.Next(2) == 0);
                case 2: return JsonValue.Create(rng.Next(-10, 70000));
                case 3: return JsonValue.Create((long)rng.Next() * rng.Next());
                case 4: return JsonValue.Create(rng.NextDouble() * 1000);
                case 5: return JsonValue.Create("");
                case 6: return JsonValue.Create("thingsboard");
                case 7: return JsonValue.Create("selfhosted");
                case 8: return JsonValue.Create("a b/\n\u0085c");
                case 9: return JsonValue.Create(new string('k', rng.Next(300)));
                case 10: return new JsonArray(JsonValue.Create("a.com"), JsonValue.Create(3));
                case 11: return new JsonArray();
                case 12: return new JsonObject { ["x"] = 1 };
                default: return JsonValue.Create("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
            }
        }

        private static void MutateTree(JsonObject root, Random rng)
        {
            // pick an object: the root or one of its sections
            JsonObject target = root;
            var sections = root.Where(p => p.Value is JsonObject).Select(p => (JsonObject)p.Value).ToList();
            if (sections.Count > 0 && rng.Next(4) != 0) target = sections[rng.Next(sections.Count)];
            var keys = target.Select(p => p.Key).ToList();
            switch (rng.Next(5))
            {
                case 0: // replace a value with another of any type
                    if (keys.Count > 0) target[keys[rng.Next(keys.Count)]] = RandomValue(rng);
                    break;
                case 1: // remove a field
                    if (keys.Count > 0) target.Remove(keys[rng.Next(keys.Count)]);
                    break;
                case 2: // add a field, known or misspelled
                    target[Keys[rng.Next(Keys.Length)]] = RandomValue(rng);
                    break;
                case 3: // rename a field
                    if (keys.Count > 0)
                    {
                        string k = keys[rng.Next(keys.Count)];
                        var v = target[k];
                        target.Remove(k);
                        target[k.ToUpperInvariant() + "\t"] = v;
                    }
                    break;
                default: // push numbers to their edges
                    foreach (string k in keys)
                    {
                        if (target[k] is JsonValue jv && jv.TryGetValue(out long n)) target[k] = rng.Next(2) == 0 ? n * 100 : -n;
                    }
                    break;
            }
        }
    }
}
