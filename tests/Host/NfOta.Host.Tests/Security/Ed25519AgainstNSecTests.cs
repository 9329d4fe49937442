using System;
using System.Numerics;
using NfOta.Security;
using NSec.Cryptography;
using Xunit;

namespace NfOta.Host.Tests.Security
{
    /// <summary>
    /// The core's Ed25519 verifier against NSec (libsodium): signatures NSec makes on seeded random
    /// keys and messages verify, and every kind of tampering is refused by both.
    /// </summary>
    public class Ed25519AgainstNSecTests
    {
        private static readonly BigInteger GroupOrder = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

        private static (byte[] PublicKey, byte[] Message, byte[] Signature) SignRandom(Random random, int maxLength)
        {
            var seed = new byte[32];
            random.NextBytes(seed);
            using var key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
            var message = new byte[random.Next(0, maxLength + 1)];
            random.NextBytes(message);
            return (key.PublicKey.Export(KeyBlobFormat.RawPublicKey), message, Algorithm.Sign(key, message));
        }

        private static bool NSecVerifies(byte[] publicKey, byte[] message, byte[] signature)
        {
            if (!PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var pk)) return false;
            return Algorithm.Verify(pk, message, signature);
        }

        private static bool CoreVerifies(byte[] publicKey, byte[] message, byte[] signature) =>
            NfOta.Security.Ed25519.Verify(publicKey, message, 0, message.Length, signature);

        [Fact]
        public void AcceptsWhatNSecSignsOnManyRandomKeysAndMessages()
        {
            var random = new Random(8032);
            for (int i = 0; i < 100; i++)
            {
                var (pk, m, sig) = SignRandom(random, i < 70 ? 64 : 5000);
                Assert.True(CoreVerifies(pk, m, sig), $"case {i}: {m.Length} bytes");
            }
        }

        [Fact]
        public void RefusesTamperedSignatureMessageAndKeyLikeNSec()
        {
            var random = new Random(25519);
            for (int i = 0; i < 25; i++)
            {
                var (pk, m, sig) = SignRandom(random, 300);

                var badSig = (byte[])sig.Clone();
                badSig[random.Next(64)] ^= (byte)(1 << random.Next(8));
                Assert.False(NSecVerifies(pk, m, badSig));
                Assert.False(CoreVerifies(pk, m, badSig), $"case {i}: signature");

                if (m.Length > 0)
                {
                    var badMessage = (byte[])m.Clone();
                    badMessage[random.Next(m.Length)] ^= (byte)(1 << random.Next(8));
                    Assert.False(CoreVerifies(pk, badMessage, sig), $"case {i}: message");
                }
                var longer = new byte[m.Length + 1];
                m.CopyTo(longer, 0);
                Assert.False(CoreVerifies(pk, longer, sig), $"case {i}: appended byte");

                var badKey = (byte[])pk.Clone();
                badKey[random.Next(32)] ^= (byte)(1 << random.Next(8));
                Assert.False(NSecVerifies(badKey, m, sig));
                Assert.False(CoreVerifies(badKey, m, sig), $"case {i}: key");

                var (otherPk, _, _) = SignRandom(random, 0);
                Assert.False(CoreVerifies(otherPk, m, sig), $"case {i}: other key");
            }
        }

        [Fact]
        public void RefusesTheMalleableSPlusLLikeNSec()
        {
            var random = new Random(252);
            int tried = 0;
            for (int i = 0; i < 40; i++)
            {
                var (pk, m, sig) = SignRandom(random, 100);
                var s = new BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: false);
                var sPlusL = (s + GroupOrder).ToByteArray(isUnsigned: true, isBigEndian: false);
                if (sPlusL.Length > 32) continue; // S + L needs 253 bits only when S is small enough
                var malleable = (byte[])sig.Clone();
                Array.Clear(malleable, 32, 32);
                sPlusL.CopyTo(malleable, 32);
                Assert.True(CoreVerifies(pk, m, sig));
                Assert.False(NSecVerifies(pk, m, malleable));
                Assert.False(CoreVerifies(pk, m, malleable), $"case {i}");
                tried++;
            }
            Assert.True(tried > 20);
        }

        [Fact]
        public void AgreesWithNSecOnRandomGarbage()
        {
            var random = new Random(7);
            var (pk, m, _) = SignRandom(random, 50);
            for (int i = 0; i < 30; i++)
            {
                var sig = new byte[64];
                random.NextBytes(sig);
                sig[63] &= 0x0F; // S < 2^252 < L, so only the point check can refuse it
                Assert.Equal(NSecVerifies(pk, m, sig), CoreVerifies(pk, m, sig));
                Assert.False(CoreVerifies(pk, m, sig));
            }
        }
    }
}
