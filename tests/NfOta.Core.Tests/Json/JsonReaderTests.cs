using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Json;

namespace NfOta.Core.Tests.Json
{
    [TestClass]
    public class JsonReaderTests
    {
        [TestMethod]
        public void ParsesNestedObjectWithAllValueKinds()
        {
            string error;
            var o = JsonReader.Parse("{\"a\":1,\"b\":\"x\\\"y\\u00e9\",\"c\":[true,false,null],\"d\":{\"e\":-2.5e1},\"f\":432945}", out error) as Hashtable;
            Assert.IsNull(error);
            Assert.IsNotNull(o);
            Assert.AreEqual(1L, (long)o["a"]);
            Assert.AreEqual("x\"y\u00e9", (string)o["b"]);
            var c = (ArrayList)o["c"];
            Assert.AreEqual(3, c.Count);
            Assert.IsTrue((bool)c[0]);
            Assert.IsFalse((bool)c[1]);
            Assert.IsTrue(c[2] is JsonNull);
            Assert.AreEqual(-25.0, (double)((Hashtable)o["d"])["e"]);
            Assert.AreEqual(432945L, (long)o["f"]);
        }

        [TestMethod]
        public void ReportsMalformedInputWithoutThrowing()
        {
            string[] bad = { "", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "01", "\"unterminated", "{\"a\":1}x", "tru", "-", "1.", "{\"a\":\"\\q\"}", "\"\\u12\"" };
            for (int i = 0; i < bad.Length; i++)
            {
                string error;
                object v = JsonReader.Parse(bad[i], out error);
                Assert.IsNull(v, bad[i]);
                Assert.IsNotNull(error, bad[i]);
            }
        }

        [TestMethod]
        public void RefusesNestingDeeperThanTheLimit()
        {
            string deep = "";
            for (int i = 0; i < JsonReader.MaxDepth + 2; i++) deep += "[";
            string error;
            Assert.IsNull(JsonReader.Parse(deep, out error));
            Assert.Contains("deeper", error);
        }

        [TestMethod]
        public void LenientReadersAcceptNumbersWrittenAsStrings()
        {
            string error;
            var o = JsonReader.Parse("{\"code\":\"1000\",\"size\":12,\"step\":\"-1\",\"neg\":\"x\"}", out error) as Hashtable;
            long v;
            Assert.IsTrue(NfOta.Json.Json.TryGetLong(o, "code", out v));
            Assert.AreEqual(1000L, v);
            Assert.AreEqual("12", NfOta.Json.Json.GetString(o, "size"));
            Assert.IsTrue(NfOta.Json.Json.TryGetLong(o, "step", out v));
            Assert.AreEqual(-1L, v);
            Assert.IsFalse(NfOta.Json.Json.TryGetLong(o, "neg", out v));
            Assert.IsFalse(NfOta.Json.Json.TryGetLong(o, "missing", out v));
        }

        [TestMethod]
        public void WriterProducesExactCompactJson()
        {
            var w = new JsonWriter();
            w.BeginObject().Property("id", 1).Name("params").BeginObject().Property("step", "-1").Property("desc", "a\"b\n").EndObject()
                .Name("list").BeginArray().Value(1).Value("x").Value(true).EndArray().EndObject();
            Assert.AreEqual("{\"id\":1,\"params\":{\"step\":\"-1\",\"desc\":\"a\\\"b\\n\"},\"list\":[1,\"x\",true]}", w.ToString());
        }
    }
}
