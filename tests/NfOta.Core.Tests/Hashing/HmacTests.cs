using nanoFramework.TestFramework;
using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    /// <summary>The test cases of RFC 2202 (HMAC-MD5, HMAC-SHA1) and RFC 4231 (HMAC-SHA256).</summary>
    [TestClass]
    public class HmacTests
    {
        private static byte[] Counting(int count)
        {
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = (byte)(i + 1);
            }

            return bytes;
        }

        private static string HexOf(byte[] mac)
        {
            return Hex.ToHex(mac, 0, mac.Length);
        }

        [TestMethod]
        public void HmacSha1MatchesRfc2202()
        {
            Assert.AreEqual("b617318655057264e28bc0b6fb378c8ef146be00",
                HexOf(Hmac.HmacSha1(HashingTestData.Fill(0x0b, 20), HashingTestData.Ascii("Hi There"))));
            Assert.AreEqual("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
                HexOf(Hmac.HmacSha1(HashingTestData.Ascii("Jefe"), HashingTestData.Ascii("what do ya want for nothing?"))));
            Assert.AreEqual("125d7342b9ac11cd91a39af48aa17b4f63f175d3",
                HexOf(Hmac.HmacSha1(HashingTestData.Fill(0xaa, 20), HashingTestData.Fill(0xdd, 50))));
            Assert.AreEqual("4c9007f4026250c6bc8414f9bf50c86c2d7235da",
                HexOf(Hmac.HmacSha1(Counting(25), HashingTestData.Fill(0xcd, 50))));
            Assert.AreEqual("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
                HexOf(Hmac.HmacSha1(HashingTestData.Fill(0x0c, 20), HashingTestData.Ascii("Test With Truncation"))));
            Assert.AreEqual("aa4ae5e15272d00e95705637ce8a3b55ed402112",
                HexOf(Hmac.HmacSha1(HashingTestData.Fill(0xaa, 80), HashingTestData.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"))));
            Assert.AreEqual("e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
                HexOf(Hmac.HmacSha1(HashingTestData.Fill(0xaa, 80), HashingTestData.Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"))));
        }

        [TestMethod]
        public void HmacMd5MatchesRfc2202()
        {
            Assert.AreEqual("9294727a3638bb1c13f48ef8158bfc9d",
                HexOf(Hmac.HmacMd5(HashingTestData.Fill(0x0b, 16), HashingTestData.Ascii("Hi There"))));
            Assert.AreEqual("750c783e6ab0b503eaa86e310a5db738",
                HexOf(Hmac.HmacMd5(HashingTestData.Ascii("Jefe"), HashingTestData.Ascii("what do ya want for nothing?"))));
            Assert.AreEqual("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
                HexOf(Hmac.HmacMd5(HashingTestData.Fill(0xaa, 80), HashingTestData.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"))));
        }

        [TestMethod]
        public void HmacSha256MatchesRfc4231()
        {
            Assert.AreEqual("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HexOf(Hmac.HmacSha256(HashingTestData.Fill(0x0b, 20), HashingTestData.Ascii("Hi There"))));
            Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexOf(Hmac.HmacSha256(HashingTestData.Ascii("Jefe"), HashingTestData.Ascii("what do ya want for nothing?"))));
            Assert.AreEqual("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
                HexOf(Hmac.HmacSha256(HashingTestData.Fill(0xaa, 20), HashingTestData.Fill(0xdd, 50))));
            Assert.AreEqual("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
                HexOf(Hmac.HmacSha256(Counting(25), HashingTestData.Fill(0xcd, 50))));

            // Test case 5 publishes only the first 128 bits.
            byte[] truncated = Hmac.HmacSha256(HashingTestData.Fill(0x0c, 20), HashingTestData.Ascii("Test With Truncation"));
            Assert.AreEqual("a3b6167473100ee06e0c796c2955552b", Hex.ToHex(truncated, 0, 16));

            Assert.AreEqual("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                HexOf(Hmac.HmacSha256(HashingTestData.Fill(0xaa, 131), HashingTestData.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"))));
            Assert.AreEqual("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
                HexOf(Hmac.HmacSha256(HashingTestData.Fill(0xaa, 131), HashingTestData.Ascii(
                    "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."))));
        }

        [TestMethod]
        public void ComputeByKindCoversBlockHashesOnly()
        {
            byte[] key = HashingTestData.Ascii("Jefe");
            byte[] data = HashingTestData.Ascii("what do ya want for nothing?");
            Assert.AreEqual(HexOf(Hmac.HmacSha256(key, data)), HexOf(Hmac.Compute(HashAlgorithmKind.Sha256, key, data)));
            Assert.IsNull(Hmac.Compute(HashAlgorithmKind.Crc32, key, data));
            Assert.IsNull(Hmac.Compute(HashAlgorithmKind.None, key, data));
        }
    }
}
