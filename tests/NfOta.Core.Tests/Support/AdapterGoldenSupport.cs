using System;
using System.Collections;
using System.Text;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Json;
using NfOta.Protocols;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// Helpers for the platform adapters' golden tests: read a published payload back as JSON and
    /// check each field's value and JSON type, and mutate documented messages for fuzzing.
    /// </summary>
    public static class AdapterGolden
    {
        public static byte[] Utf8(string s)
        {
            return Encoding.UTF8.GetBytes(s);
        }

        /// <summary>What <paramref name="adapter"/> makes of <paramref name="payload"/> on <paramref name="topic"/> (replies go nowhere).</summary>
        public static InboundMessage Parse(IPlatformAdapter adapter, string topic, string payload)
        {
            var m = new InboundMessage();
            adapter.Parse(topic, Utf8(payload), m, new RecordingPublisher());
            return m;
        }

        /// <summary>Parses a payload that must be a JSON object.</summary>
        public static Hashtable Object(string text)
        {
            string error;
            var h = JsonReader.Parse(text, out error) as Hashtable;
            Assert.IsNull(error, text);
            Assert.IsNotNull(h, text);
            return h;
        }

        /// <summary>The object must have exactly these keys.</summary>
        public static void Keys(Hashtable h, string[] keys)
        {
            Assert.AreEqual(keys.Length, h.Count, "key count");
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.IsTrue(h.Contains(keys[i]), "missing key " + keys[i]);
            }
        }

        /// <summary>A JSON string with this value (a number would fail).</summary>
        public static void IsString(Hashtable h, string key, string expected)
        {
            object v = h[key];
            Assert.IsTrue(v is string, key + " is a JSON string");
            Assert.AreEqual(expected, (string)v, key);
        }

        /// <summary>A JSON integer with this value (a string would fail).</summary>
        public static void IsNumber(Hashtable h, string key, long expected)
        {
            object v = h[key];
            Assert.IsTrue(v is long, key + " is a JSON integer");
            Assert.AreEqual(expected, (long)v, key);
        }

        public static Hashtable IsObject(Hashtable h, string key)
        {
            var v = h[key] as Hashtable;
            Assert.IsNotNull(v, key + " is a JSON object");
            return v;
        }

        /// <summary>Small deterministic generator, so a fuzz failure repeats.</summary>
        public sealed class Lcg
        {
            private uint _s;

            public Lcg(uint seed)
            {
                _s = seed == 0 ? 1u : seed;
            }

            public int Next(int max)
            {
                _s = _s * 1664525u + 1013904223u;
                return (int)((_s >> 8) % (uint)max);
            }
        }

        private static readonly string Interesting = "{}[]\":,-0123456789.eE\\ntrufalsenul \u00e9";

        /// <summary>One mutation of a document message: flip, insert, delete, truncate, duplicate or retype.</summary>
        public static byte[] Mutate(byte[] original, Lcg rng)
        {
            int n = original.Length;
            int kind = rng.Next(7);
            if (n == 0) return new byte[] { (byte)Interesting[rng.Next(Interesting.Length)] };
            int at = rng.Next(n);
            switch (kind)
            {
                case 0:
                    {
                        var b = (byte[])original.Clone();
                        b[at] = (byte)rng.Next(256);
                        return b;
                    }
                case 1:
                    {
                        var b = new byte[n + 1];
                        Array.Copy(original, 0, b, 0, at);
                        b[at] = (byte)Interesting[rng.Next(Interesting.Length)];
                        Array.Copy(original, at, b, at + 1, n - at);
                        return b;
                    }
                case 2:
                    {
                        var b = new byte[n - 1];
                        Array.Copy(original, 0, b, 0, at);
                        Array.Copy(original, at + 1, b, at, n - at - 1);
                        return b;
                    }
                case 3:
                    {
                        var b = new byte[at];
                        Array.Copy(original, 0, b, 0, at);
                        return b;
                    }
                case 4:
                    {
                        // A quoted value loses its quotes or a number gains them: wrong JSON types.
                        var b = (byte[])original.Clone();
                        for (int i = at; i < n; i++)
                        {
                            if (b[i] == '"')
                            {
                                b[i] = (byte)' ';
                                break;
                            }
                        }
                        return b;
                    }
                case 5:
                    {
                        var b = new byte[n * 2];
                        Array.Copy(original, 0, b, 0, n);
                        Array.Copy(original, 0, b, n, n);
                        return b;
                    }
                default:
                    {
                        var b = (byte[])original.Clone();
                        int count = 1 + rng.Next(8);
                        for (int i = 0; i < count; i++) b[rng.Next(n)] = (byte)Interesting[rng.Next(Interesting.Length)];
                        return b;
                    }
            }
        }

        /// <summary>
        /// Runs <paramref name="rounds"/> mutated messages through Parse; any exception fails the test.
        /// Returns how many parsed as each kind, for the test's output.
        /// </summary>
        public static string Fuzz(IPlatformAdapter adapter, string[] topics, string[] messages, int rounds, uint seed)
        {
            var rng = new Lcg(seed);
            var result = new InboundMessage();
            var publisher = new RecordingPublisher();
            int[] kinds = new int[5];
            for (int i = 0; i < rounds; i++)
            {
                int m = rng.Next(messages.Length);
                byte[] payload = Utf8(messages[m]);
                int depth = 1 + rng.Next(3);
                for (int d = 0; d < depth; d++) payload = Mutate(payload, rng);
                string topic = topics[rng.Next(topics.Length)];
                try
                {
                    adapter.Parse(topic, payload, result, publisher);
                }
                catch (Exception ex)
                {
                    Assert.IsTrue(false, "Parse threw " + ex.GetType().Name + " on " + topic + " " + Encoding.UTF8.GetString(payload, 0, payload.Length));
                }
                kinds[(int)result.Kind]++;
                if (result.Kind == InboundKind.Malformed) Assert.IsNotNull(result.Error, "a malformed message has an error line");
                if (result.Kind == InboundKind.Offer) Assert.IsNotNull(result.Offer, "an offer has an offer");
                publisher.Clear();
            }
            return rounds + " mutated messages: " + kinds[0] + " ignored, " + kinds[1] + " offers, " + kinds[2] + " no-update, " + kinds[3] + " chunks, " + kinds[4] + " malformed";
        }
    }
}
