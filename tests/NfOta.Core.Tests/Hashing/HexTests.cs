using nanoFramework.TestFramework;
using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    [TestClass]
    public class HexTests
    {
        private static readonly byte[] Bytes = new byte[] { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };

        [TestMethod]
        public void WritesLowerCase()
        {
            Assert.AreEqual("00017f80abcdefff", Hex.ToHex(Bytes, 0, Bytes.Length));
            Assert.AreEqual("7f80", Hex.ToHex(Bytes, 2, 2));
            Assert.AreEqual("", Hex.ToHex(Bytes, 3, 0));
        }

        [TestMethod]
        public void ComparesDigestsInEitherCase()
        {
            Assert.IsTrue(Hex.EqualsDigest("00017f80abcdefff", Bytes, 0, 8));
            Assert.IsTrue(Hex.EqualsDigest("00017F80ABCDEFFF", Bytes, 0, 8));
            Assert.IsTrue(Hex.EqualsDigest("AbCd", Bytes, 4, 2));
            Assert.IsTrue(Hex.EqualsDigest("", Bytes, 0, 0));

            Assert.IsFalse(Hex.EqualsDigest("00017f80abcdeffe", Bytes, 0, 8), "last nibble differs");
            Assert.IsFalse(Hex.EqualsDigest("10017f80abcdefff", Bytes, 0, 8), "first nibble differs");
            Assert.IsFalse(Hex.EqualsDigest("00017f80abcdef", Bytes, 0, 8), "short");
            Assert.IsFalse(Hex.EqualsDigest("00017f80abcdefff00", Bytes, 0, 8), "long");
            Assert.IsFalse(Hex.EqualsDigest("00017f80abcdefgf", Bytes, 0, 8), "not hex");
            Assert.IsFalse(Hex.EqualsDigest(" 0017f80abcdefff", Bytes, 0, 8), "space");
            Assert.IsFalse(Hex.EqualsDigest(null, Bytes, 0, 8), "null");
        }

        [TestMethod]
        public void ParsesIntoABuffer()
        {
            byte[] output = new byte[10];
            Assert.IsTrue(Hex.TryParse("00017F80abcdefff", output, 2));
            for (int i = 0; i < Bytes.Length; i++)
            {
                Assert.AreEqual(Bytes[i], output[2 + i]);
            }

            Assert.AreEqual((byte)0, output[0]);

            byte[] untouched = new byte[4];
            Assert.IsFalse(Hex.TryParse("abc", untouched, 0), "odd length");
            Assert.IsFalse(Hex.TryParse("abzz", untouched, 0), "not hex");
            Assert.IsFalse(Hex.TryParse("0102030405", untouched, 0), "no room");
            Assert.IsFalse(Hex.TryParse("0102", untouched, 3), "no room at offset");
            Assert.IsFalse(Hex.TryParse(null, untouched, 0), "null");
            Assert.AreEqual((byte)0, untouched[0]);
            Assert.IsTrue(Hex.TryParse("", untouched, 4));
        }
    }
}
