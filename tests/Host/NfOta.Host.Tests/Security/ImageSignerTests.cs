using System;
using System.IO;
using NfOta.Pc.Signing;
using NfOta.Security;
using NSec.Cryptography;
using Xunit;

namespace NfOta.Host.Tests.Security
{
    /// <summary>What the PC signer makes, the core verifier accepts; any change to it is refused.</summary>
    public class ImageSignerTests
    {
        private static byte[] Seed(int start)
        {
            var seed = new byte[32];
            for (int i = 0; i < 32; i++) seed[i] = (byte)(start + i);
            return seed;
        }

        private static byte[] RandomImage(Random random, int size)
        {
            var image = new byte[size];
            random.NextBytes(image);
            return image;
        }

        private static SignatureFailure Verify(byte[] signed, byte[] publicKey, string version, uint minimumSecureVersion = 0, int chunk = 4096)
        {
            var verifier = new SignedImageVerifier();
            verifier.Begin(signed.Length);
            for (int offset = 0; offset < signed.Length; offset += chunk)
            {
                verifier.Update(signed, offset, Math.Min(chunk, signed.Length - offset));
            }
            bool ok = verifier.Verify(publicKey, version, minimumSecureVersion, out var reason);
            Assert.Equal(ok, reason == SignatureFailure.None);
            if (ok)
            {
                Assert.Equal(signed.Length - SignedImageVerifier.TrailerSize, verifier.ImageLength);
            }
            return reason;
        }

        private static byte[] PublicKey(byte[] seed) => Convert.FromBase64String(ImageSigner.PublicKeyOf(seed));

        [Fact]
        public void MakesExactlyTheTrailerOfTheIndependentFixture()
        {
            // the same fixture the core tests verify, made by a separate Python writer of the format
            var image = new byte[300];
            for (int i = 0; i < image.Length; i++) image[i] = (byte)(i * 7 + 3);
            byte[] signed = ImageSigner.Sign(image, "1.2.3", 2, Seed(1));
            Assert.Equal(
                "4e464f54415349470101c000020000002c0100000000000004773f8726c81cafcfa1a09a82664b98b00d2021031a1715"
                + "bca1154f2dad347205312e322e3300000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000046f3e8b986056f08bdcf7379d4aaecd8"
                + "aa731c6999e88ca5d65a64578bbd61b06bdb33192f6eb57cb78d3f9e7e4357d58eab6fff61578e7c537fee18b966a407",
                Convert.ToHexString(signed, 300, 192).ToLowerInvariant());
            Assert.Equal("ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=", ImageSigner.PublicKeyOf(Seed(1)));
        }

        [Fact]
        public void VerifierAcceptsSignedImagesOfManySizesAndChunkings()
        {
            var random = new Random(4242);
            int[] sizes = { 1, 2, 191, 192, 193, 4095, 4096, 4097, 100_000 };
            foreach (int size in sizes)
            {
                var seed = Seed(size & 0xFF);
                byte[] signed = ImageSigner.Sign(RandomImage(random, size), "2.0." + size, (uint)size % 33, seed);
                Assert.Equal(size + SignedImageVerifier.TrailerSize, signed.Length);
                Assert.True(ImageSigner.IsSigned(signed));
                int chunk = 1 + random.Next(5000);
                Assert.Equal(SignatureFailure.None, Verify(signed, PublicKey(seed), "2.0." + size, (uint)size % 33, chunk));
            }
        }

        [Fact]
        public void TheSignatureIsAnEd25519SignatureOfTheTrailerFields()
        {
            byte[] seed = Seed(9);
            byte[] signed = ImageSigner.Sign(new byte[] { 1, 2, 3 }, "1.0", 0, seed);
            var trailer = signed.AsSpan(3);
            var pk = NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, PublicKey(seed), KeyBlobFormat.RawPublicKey);
            Assert.True(SignatureAlgorithm.Ed25519.Verify(pk, trailer[..SignedImageVerifier.SignedPartSize], trailer[SignedImageVerifier.SignatureOffset..]));
        }

        [Fact]
        public void RefusesAFlippedBitAnywhere()
        {
            var random = new Random(1);
            byte[] seed = Seed(40);
            byte[] pk = PublicKey(seed);
            byte[] signed = ImageSigner.Sign(RandomImage(random, 700), "3.1.4", 5, seed);
            Assert.Equal(SignatureFailure.None, Verify(signed, pk, "3.1.4"));
            for (int position = 0; position < signed.Length; position++)
            {
                byte mask = (byte)(1 << random.Next(8));
                signed[position] ^= mask;
                var reason = Verify(signed, pk, "3.1.4", chunk: 97);
                Assert.True(reason != SignatureFailure.None, $"byte {position} mask {mask:x2} accepted");
                if (position < 700) Assert.Equal(SignatureFailure.DigestMismatch, reason);
                signed[position] ^= mask;
            }
        }

        [Fact]
        public void RefusesTruncationAnotherKeyAnotherVersionAndARollback()
        {
            var random = new Random(2);
            byte[] seed = Seed(50);
            byte[] pk = PublicKey(seed);
            byte[] image = RandomImage(random, 5000);
            byte[] signed = ImageSigner.Sign(image, "1.4.0", 3, seed);

            for (int cut = 1; cut <= SignedImageVerifier.TrailerSize; cut += 13)
            {
                Assert.NotEqual(SignatureFailure.None, Verify(signed[..^cut], pk, "1.4.0"));
            }
            Assert.Equal(SignatureFailure.NoSignature, Verify(image, pk, "1.4.0"));
            Assert.Equal(SignatureFailure.BadSignature, Verify(signed, PublicKey(Seed(51)), "1.4.0"));
            Assert.Equal(SignatureFailure.VersionMismatch, Verify(signed, pk, "1.4.1"));
            Assert.Equal(SignatureFailure.VersionMismatch, Verify(signed, pk, "1.3.9"));
            Assert.Equal(SignatureFailure.SecureVersionTooLow, Verify(signed, pk, "1.4.0", 4));
            Assert.Equal(SignatureFailure.None, Verify(signed, pk, "1.4.0", 3));

            // a valid trailer moved onto other image bytes
            byte[] other = RandomImage(random, 5000);
            byte[] spliced = new byte[signed.Length];
            other.CopyTo(spliced, 0);
            Array.Copy(signed, 5000, spliced, 5000, SignedImageVerifier.TrailerSize);
            Assert.Equal(SignatureFailure.DigestMismatch, Verify(spliced, pk, "1.4.0"));
        }

        [Fact]
        public void RefusesBadSigningInput()
        {
            byte[] seed = Seed(60);
            Assert.Throws<ArgumentException>(() => ImageSigner.Sign(new byte[10], "not a version", 0, seed));
            Assert.Throws<ArgumentException>(() => ImageSigner.Sign(new byte[0], "1.0", 0, seed));
            Assert.Throws<ArgumentException>(() => ImageSigner.Sign(new byte[10], "1.0", 0, new byte[31]));
            byte[] signed = ImageSigner.Sign(new byte[10], "1.0", 0, seed);
            Assert.Throws<ArgumentException>(() => ImageSigner.Sign(signed, "1.0", 0, seed));
        }

        [Fact]
        public void KeyGenWritesAPrivateKeyFileThatSigns()
        {
            string dir = Path.Combine(Path.GetTempPath(), "nfota-keygen-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "signing.key");
                string publicKey = ImageSigner.KeyGen(path);
                Assert.Equal(32, Convert.FromBase64String(publicKey).Length);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                }
                byte[] seed = ImageSigner.LoadPrivateKey(path);
                Assert.Equal(publicKey, ImageSigner.PublicKeyOf(seed));
                byte[] signed = ImageSigner.Sign(new byte[] { 9, 8, 7 }, "0.1", 1, seed);
                Assert.Equal(SignatureFailure.None, Verify(signed, Convert.FromBase64String(publicKey), "0.1"));

                Assert.Throws<IOException>(() => ImageSigner.KeyGen(path));
                Assert.NotEqual(publicKey, ImageSigner.KeyGen(Path.Combine(dir, "second.key")));

                File.WriteAllText(Path.Combine(dir, "bad.key"), "not base64!");
                Assert.Throws<InvalidDataException>(() => ImageSigner.LoadPrivateKey(Path.Combine(dir, "bad.key")));
                File.WriteAllText(Path.Combine(dir, "short.key"), Convert.ToBase64String(new byte[16]));
                Assert.Throws<InvalidDataException>(() => ImageSigner.LoadPrivateKey(Path.Combine(dir, "short.key")));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
