using nanoFramework.TestFramework;
using NfOta.Security;

namespace NfOta.Core.Tests.Security
{
    [TestClass]
    public class Ed25519Tests
    {
        // RFC 8032 7.1 Test1 (secret key 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60)
        private const string Test1Key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        private const string Test1Message = "";
        private const string Test1Signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
            + "d25bf5f0595bbe24655141438e7a100b";

        // RFC 8032 7.1 Test2 (secret key 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb)
        private const string Test2Key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
        private const string Test2Message = "72";
        private const string Test2Signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
            + "387b2eaeb4302aeeb00d291612bb0c00";

        // RFC 8032 7.1 Test3 (secret key c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7)
        private const string Test3Key = "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025";
        private const string Test3Message = "af82";
        private const string Test3Signature = "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc659"
            + "4a7c15e9716ed28dc027beceea1ec40a";

        // RFC 8032 7.1 Test1024 (secret key f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5)
        private const string Test1024Key = "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e";
        private const string Test1024Message = "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
            + "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
            + "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
            + "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
            + "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
            + "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
            + "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
            + "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
            + "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
            + "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
            + "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
            + "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
            + "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
            + "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
            + "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
            + "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
            + "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
            + "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
            + "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
            + "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
            + "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
            + "c60c905c15fc910840b94c00a0b9d0";
        private const string Test1024Signature = "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b"
            + "5e8fcd4f681e30a6ac00a9704a188a03";

        // RFC 8032 7.1 TEST SHA(abc) (secret key 833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42)
        private const string ShaAbcKey = "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf";
        private const string ShaAbcMessage = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            + "454d4423643ce80e2a9ac94fa54ca49f";
        private const string ShaAbcSignature = "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e030"
            + "3dca179c138ac17ad9bef1177331a704";
        private static void Accepts(string key, string message, string signature)
        {
            byte[] m = SecurityTestBytes.FromHex(message);
            Assert.IsTrue(Ed25519.Verify(SecurityTestBytes.FromHex(key), m, 0, m.Length, SecurityTestBytes.FromHex(signature)));
        }

        [TestMethod]
        public void AcceptsRfc8032Test1EmptyMessage()
        {
            Accepts(Test1Key, Test1Message, Test1Signature);
        }

        [TestMethod]
        public void AcceptsRfc8032Test2()
        {
            Accepts(Test2Key, Test2Message, Test2Signature);
        }

        [TestMethod]
        public void AcceptsRfc8032Test3()
        {
            Accepts(Test3Key, Test3Message, Test3Signature);
        }

        [TestMethod]
        public void AcceptsRfc8032Test1024()
        {
            Accepts(Test1024Key, Test1024Message, Test1024Signature);
        }

        [TestMethod]
        public void AcceptsRfc8032ShaAbc()
        {
            Accepts(ShaAbcKey, ShaAbcMessage, ShaAbcSignature);
        }

        [TestMethod]
        public void VerifiesAMessageInsideALargerBuffer()
        {
            byte[] m = SecurityTestBytes.FromHex(Test3Message);
            byte[] buffer = new byte[m.Length + 10];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = 0xAA;
            buffer[7] = m[0];
            buffer[8] = m[1];
            byte[] key = SecurityTestBytes.FromHex(Test3Key);
            byte[] sig = SecurityTestBytes.FromHex(Test3Signature);
            Assert.IsTrue(Ed25519.Verify(key, buffer, 7, 2, sig));
            Assert.IsFalse(Ed25519.Verify(key, buffer, 6, 2, sig));
            Assert.IsFalse(Ed25519.Verify(key, buffer, 7, 3, sig));
        }

        [TestMethod]
        public void RefusesEveryFlippedBitOfTheSignature()
        {
            byte[] key = SecurityTestBytes.FromHex(Test2Key);
            byte[] m = SecurityTestBytes.FromHex(Test2Message);
            byte[] sig = SecurityTestBytes.FromHex(Test2Signature);
            // 40 bits spread over R and S (every 13th bit, first to last byte)
            for (int bit = 0; bit < 512; bit += 13)
            {
                sig[bit >> 3] ^= (byte)(1 << (bit & 7));
                Assert.IsFalse(Ed25519.Verify(key, m, 0, m.Length, sig), "bit " + bit.ToString());
                sig[bit >> 3] ^= (byte)(1 << (bit & 7));
            }
            Assert.IsTrue(Ed25519.Verify(key, m, 0, m.Length, sig));
        }

        [TestMethod]
        public void RefusesATamperedMessage()
        {
            byte[] key = SecurityTestBytes.FromHex(Test1024Key);
            byte[] m = SecurityTestBytes.FromHex(Test1024Message);
            byte[] sig = SecurityTestBytes.FromHex(Test1024Signature);
            int[] positions = { 0, 1, 511, 1022 };
            for (int i = 0; i < positions.Length; i++)
            {
                m[positions[i]] ^= 0x01;
                Assert.IsFalse(Ed25519.Verify(key, m, 0, m.Length, sig));
                m[positions[i]] ^= 0x01;
            }
            Assert.IsFalse(Ed25519.Verify(key, m, 0, m.Length - 1, sig));
            Assert.IsTrue(Ed25519.Verify(key, m, 0, m.Length, sig));
        }

        [TestMethod]
        public void RefusesAnotherKey()
        {
            byte[] m = SecurityTestBytes.FromHex(Test3Message);
            Assert.IsFalse(Ed25519.Verify(SecurityTestBytes.FromHex(Test2Key), m, 0, m.Length, SecurityTestBytes.FromHex(Test3Signature)));
            byte[] key = SecurityTestBytes.FromHex(Test3Key);
            key[5] ^= 0x10;
            Assert.IsFalse(Ed25519.Verify(key, m, 0, m.Length, SecurityTestBytes.FromHex(Test3Signature)));
        }

        [TestMethod]
        public void RefusesTheMalleableSPlusL()
        {
            byte[] key = SecurityTestBytes.FromHex(Test1Key);
            byte[] sig = SecurityTestBytes.FromHex(Test1Signature);
            // S + L is the same scalar mod L, so a verifier that skips the S < L check accepts it
            Assert.IsTrue(SecurityTestBytes.AddGroupOrder(sig, 32));
            Assert.IsFalse(Ed25519.Verify(key, new byte[0], 0, 0, sig));
        }

        [TestMethod]
        public void RefusesANonCanonicalPublicKey()
        {
            byte[] m = SecurityTestBytes.FromHex(Test1Message);
            byte[] sig = SecurityTestBytes.FromHex(Test1Signature);
            // y = p + 1 encodes the same field element as y = 1 (the identity point's y) but is not canonical
            byte[] key = new byte[32];
            key[0] = 0xee;
            for (int i = 1; i < 31; i++) key[i] = 0xff;
            key[31] = 0x7f;
            Assert.IsFalse(Ed25519.Verify(key, m, 0, 0, sig));
            // a y with no x on the curve: y = 2
            byte[] offCurve = new byte[32];
            offCurve[0] = 2;
            Assert.IsFalse(Ed25519.Verify(offCurve, m, 0, 0, sig));
        }

        [TestMethod]
        public void RefusesSmallOrderPublicKeys()
        {
            // A = identity (y = 1), R = identity, S = 0 satisfies [S]B = R + [k]A for every message
            byte[] identity = new byte[32];
            identity[0] = 1;
            byte[] sig = new byte[64];
            sig[0] = 1;
            byte[] m = SecurityTestBytes.FromHex(Test2Message);
            Assert.IsFalse(Ed25519.Verify(identity, m, 0, m.Length, sig));
            Assert.IsFalse(Ed25519.IsValidPublicKey(identity));
            // the point of order 2, (0, -1): y = p - 1
            byte[] order2 = new byte[32];
            order2[0] = 0xec;
            for (int i = 1; i < 31; i++) order2[i] = 0xff;
            order2[31] = 0x7f;
            Assert.IsFalse(Ed25519.IsValidPublicKey(order2));
            // a point of order 8 (y from the well-known list of Ed25519 torsion points)
            Assert.IsFalse(Ed25519.IsValidPublicKey(SecurityTestBytes.FromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")));
            // x = 0 with the sign bit set is not a valid encoding at all
            identity[31] = 0x80;
            Assert.IsFalse(Ed25519.IsValidPublicKey(identity));
            Assert.IsTrue(Ed25519.IsValidPublicKey(SecurityTestBytes.FromHex(Test1Key)));
            Assert.IsTrue(Ed25519.IsValidPublicKey(SecurityTestBytes.FromHex(ShaAbcKey)));
            Assert.IsFalse(Ed25519.IsValidPublicKey(new byte[31]));
        }

        [TestMethod]
        public void RefusesWrongLengthsAndNulls()
        {
            byte[] key = SecurityTestBytes.FromHex(Test2Key);
            byte[] m = SecurityTestBytes.FromHex(Test2Message);
            byte[] sig = SecurityTestBytes.FromHex(Test2Signature);
            Assert.IsFalse(Ed25519.Verify(null, m, 0, 1, sig));
            Assert.IsFalse(Ed25519.Verify(key, null, 0, 0, sig));
            Assert.IsFalse(Ed25519.Verify(key, m, 0, 1, null));
            Assert.IsFalse(Ed25519.Verify(new byte[31], m, 0, 1, sig));
            Assert.IsFalse(Ed25519.Verify(key, m, 0, 1, new byte[63]));
            Assert.IsFalse(Ed25519.Verify(key, m, 0, 2, sig));
            Assert.IsFalse(Ed25519.Verify(key, m, -1, 1, sig));
            Assert.IsFalse(Ed25519.Verify(key, m, 0, 1, new byte[64]));
            Assert.IsTrue(Ed25519.Verify(key, m, 0, 1, sig));
        }
    }
}

