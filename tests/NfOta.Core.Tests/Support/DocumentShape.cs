using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Json;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// Compares a published JSON payload with a platform document's example: the same property names
    /// at every level and the same JSON type for each value (a string where the document shows a
    /// string, a number where it shows a number). Values are checked separately by the tests, since
    /// document examples hold placeholders such as "xxxxxxxx".
    /// </summary>
    public static class DocumentShape
    {
        public static Hashtable AssertSameShape(string documentExample, string actual)
        {
            string error;
            object expected = JsonReader.Parse(documentExample, out error);
            Assert.IsNull(error, "document example: " + error);
            object got = JsonReader.Parse(actual, out error);
            Assert.IsNull(error, "published payload: " + error + " in " + actual);
            Compare(expected, got, "$");
            return got as Hashtable;
        }

        /// <summary>Parses a JSON object (failing the test when it is not one).</summary>
        public static Hashtable Object(string json)
        {
            string error;
            var h = JsonReader.Parse(json, out error) as Hashtable;
            Assert.IsNotNull(h, "not a JSON object: " + json);
            return h;
        }

        public static string TypeOf(object v)
        {
            if (v == null) return "missing";
            if (v is string) return "string";
            if (v is long || v is double) return "number";
            if (v is bool) return "boolean";
            if (v is Hashtable) return "object";
            if (v is ArrayList) return "array";
            if (v is JsonNull) return "null";
            return "unknown";
        }

        private static void Compare(object expected, object actual, string path)
        {
            Assert.AreEqual(TypeOf(expected), TypeOf(actual), "JSON type of " + path);
            var e = expected as Hashtable;
            if (e != null)
            {
                var a = (Hashtable)actual;
                foreach (object k in e.Keys)
                {
                    string key = (string)k;
                    Assert.IsTrue(a.Contains(key), "missing property " + path + "." + key);
                    Compare(e[key], a[key], path + "." + key);
                }
                foreach (object k in a.Keys)
                {
                    Assert.IsTrue(e.Contains(k), "property not in the document: " + path + "." + (string)k);
                }
                return;
            }
            var ea = expected as ArrayList;
            if (ea != null && ea.Count > 0)
            {
                var aa = (ArrayList)actual;
                for (int i = 0; i < aa.Count; i++) Compare(ea[0], aa[i], path + "[" + i + "]");
            }
        }
    }

    /// <summary>Deterministic message mutations for the adapters' fuzz tests (no System.Random needed).</summary>
    public sealed class MessageMutator
    {
        private uint _state;

        public MessageMutator(uint seed)
        {
            _state = seed == 0 ? 1u : seed;
        }

        public int Next(int max)
        {
            // xorshift32
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return (int)(_state % (uint)max);
        }

        private static readonly byte[] Interesting = { (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'\\', (byte)'0', (byte)'-', (byte)'9', (byte)'e', (byte)'n', (byte)'t', 0, 0xFF, 0xC3, (byte)' ' };

        /// <summary>One mutated copy of <paramref name="source"/>: flipped, replaced, inserted, deleted or truncated bytes.</summary>
        public byte[] Mutate(byte[] source)
        {
            int ops = 1 + Next(4);
            byte[] cur = source;
            for (int k = 0; k < ops; k++)
            {
                int len = cur.Length;
                int op = Next(5);
                int at = len == 0 ? 0 : Next(len);
                byte[] next;
                if (op == 0 && len > 0)
                {
                    next = (byte[])cur.Clone();
                    next[at] ^= (byte)(1 << Next(8));
                }
                else if (op == 1 && len > 0)
                {
                    next = (byte[])cur.Clone();
                    next[at] = Interesting[Next(Interesting.Length)];
                }
                else if (op == 2)
                {
                    next = new byte[len + 1];
                    System.Array.Copy(cur, 0, next, 0, at);
                    next[at] = Interesting[Next(Interesting.Length)];
                    System.Array.Copy(cur, at, next, at + 1, len - at);
                }
                else if (op == 3 && len > 0)
                {
                    next = new byte[len - 1];
                    System.Array.Copy(cur, 0, next, 0, at);
                    System.Array.Copy(cur, at + 1, next, at, len - at - 1);
                }
                else
                {
                    next = new byte[at];
                    System.Array.Copy(cur, 0, next, 0, at);
                }
                cur = next;
            }
            return cur;
        }
    }
}
