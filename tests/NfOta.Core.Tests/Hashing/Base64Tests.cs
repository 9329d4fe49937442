using nanoFramework.TestFramework;
using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    [TestClass]
    public class Base64Tests
    {
        // RFC 4648 section 10.
        private static readonly string[] Plain = new string[] { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
        private static readonly string[] Encoded = new string[] { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };

        private static string Text(byte[] bytes)
        {
            char[] chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            return new string(chars);
        }

        [TestMethod]
        public void EncodesTheRfcVectors()
        {
            for (int i = 0; i < Plain.Length; i++)
            {
                byte[] data = HashingTestData.Ascii(Plain[i]);
                Assert.AreEqual(Encoded[i], Base64.Encode(data, 0, data.Length));
            }

            byte[] framed = HashingTestData.Ascii("xxfoobarxx");
            Assert.AreEqual("Zm9vYmFy", Base64.Encode(framed, 2, 6));
            byte[] all = new byte[] { 0xfb, 0xff, 0xbf };
            Assert.AreEqual("+/+/", Base64.Encode(all, 0, 3));
        }

        [TestMethod]
        public void DecodesTheRfcVectors()
        {
            for (int i = 0; i < Plain.Length; i++)
            {
                byte[] decoded = Base64.Decode(Encoded[i]);
                Assert.IsNotNull(decoded, Encoded[i]);
                Assert.AreEqual(Plain[i], Text(decoded));
            }

            Assert.AreEqual("foobar", Text(Base64.Decode("Zm9v\r\nYmFy\n")));
            Assert.AreEqual("fo", Text(Base64.Decode("Zm8")), "unpadded");
            Assert.AreEqual("foob", Text(Base64.Decode("Zm9vYg")), "unpadded");
            byte[] all = Base64.Decode("+/+/");
            Assert.AreEqual(3, all.Length);
            Assert.AreEqual((byte)0xfb, all[0]);
            Assert.AreEqual((byte)0xff, all[1]);
            Assert.AreEqual((byte)0xbf, all[2]);
        }

        [TestMethod]
        public void RejectsInvalidText()
        {
            string[] bad = new string[] { null, "Z", "Zm9vY", "Zg=", "Zg===", "Zm9v=", "Zm9v!", "Zg==Zg==", "=", "====", "Zm-_", "Zm9v\0" };
            foreach (string text in bad)
            {
                Assert.IsNull(Base64.Decode(text), text == null ? "null" : text);
            }
        }

        [TestMethod]
        public void DecodesIntoABuffer()
        {
            byte[] output = new byte[8];
            Assert.AreEqual(6, Base64.Decode("Zm9vYmFy", output, 2));
            Assert.AreEqual((byte)'f', output[2]);
            Assert.AreEqual((byte)'r', output[7]);
            Assert.AreEqual(-1, Base64.Decode("Zm9vYmFy", output, 3), "no room");
            Assert.AreEqual(-1, Base64.Decode("Zm9v!", output, 0), "invalid");
            Assert.AreEqual(0, Base64.Decode("", output, 8));
        }
    }
}
