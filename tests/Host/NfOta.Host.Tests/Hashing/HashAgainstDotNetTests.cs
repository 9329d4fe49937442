using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using NfOta.Hashing;
using Xunit;

namespace NfOta.Host.Tests.Hashing
{
    /// <summary>
    /// Our hashes against .NET's own (and a bitwise CRC-32) on seeded random data of many sizes,
    /// fed in random chunks, with the running state saved and restored into a fresh instance.
    /// </summary>
    public class HashAgainstDotNetTests
    {
        private static readonly int[] Sizes =
        {
            0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 191, 192, 255, 256, 257,
            1000, 4095, 4096, 4097, 65536, 65537, 199999, 200000
        };

        public static IEnumerable<object[]> Cases()
        {
            var kinds = new[]
            {
                HashAlgorithmKind.Md5, HashAlgorithmKind.Sha1, HashAlgorithmKind.Sha256,
                HashAlgorithmKind.Sha384, HashAlgorithmKind.Sha512, HashAlgorithmKind.Crc32
            };
            var random = new Random(20261202);
            var sizes = new List<int>(Sizes);
            for (int i = 0; i < 12; i++)
            {
                sizes.Add(random.Next(0, 200001));
            }

            foreach (var kind in kinds)
            {
                foreach (int size in sizes)
                {
                    yield return new object[] { kind, size };
                }
            }
        }

        internal static byte[] Reference(HashAlgorithmKind kind, byte[] data)
        {
            switch (kind)
            {
                case HashAlgorithmKind.Md5: return MD5.HashData(data);
                case HashAlgorithmKind.Sha1: return SHA1.HashData(data);
                case HashAlgorithmKind.Sha256: return SHA256.HashData(data);
                case HashAlgorithmKind.Sha384: return SHA384.HashData(data);
                case HashAlgorithmKind.Sha512: return SHA512.HashData(data);
                case HashAlgorithmKind.Crc32:
                    uint crc = BitwiseCrc32(data, 0, data.Length);
                    return new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc };
                default: throw new ArgumentOutOfRangeException(nameof(kind));
            }
        }

        /// <summary>CRC-32 straight from its definition, one bit at a time, no table.</summary>
        internal static uint BitwiseCrc32(byte[] data, int offset, int count)
        {
            uint crc = 0xffffffff;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
                }
            }

            return ~crc;
        }

        private static byte[] RandomBytes(Random random, int size)
        {
            var data = new byte[size];
            random.NextBytes(data);
            return data;
        }

        /// <summary>A chunk length: mostly small and odd, sometimes large, sometimes zero.</summary>
        private static int NextChunk(Random random, int left)
        {
            int choice = random.Next(10);
            int length = choice == 0 ? 0 : choice < 6 ? random.Next(1, 200) : random.Next(1, 20000);
            return Math.Min(length, left);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void MatchesDotNetInRandomChunksWithARestoreMidway(HashAlgorithmKind kind, int size)
        {
            var random = new Random(size * 31 + (int)kind);
            byte[] data = RandomBytes(random, size);
            byte[] expected = Reference(kind, data);

            IIncrementalHash hash = HashFactory.Create(kind);
            int restoreAt = random.Next(0, size + 1);
            bool restored = false;
            int offset = 0;
            while (offset < size || !restored)
            {
                if (!restored && offset >= restoreAt)
                {
                    // As after a reboot: the state goes through bytes into a fresh instance.
                    var state = new byte[hash.StateSize + 5];
                    hash.SaveState(state, 5);
                    hash = HashFactory.Create(kind);
                    hash.LoadState(state, 5);
                    restored = true;
                }

                int chunk = NextChunk(random, size - offset);
                if (!restored)
                {
                    chunk = Math.Min(chunk, restoreAt - offset);
                }

                hash.Update(data, offset, chunk);
                offset += chunk;
            }

            var digest = new byte[hash.HashSize + 2];
            hash.Final(digest, 1);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(digest, 1, hash.HashSize));
            Assert.True(Hex.EqualsDigest(Convert.ToHexString(expected), digest, 1, hash.HashSize));

            // Final reset the hash: the same instance computes it again.
            hash.Update(data, 0, size);
            hash.Final(digest, 0);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(digest, 0, hash.HashSize));
        }

        [Fact]
        public void StaticCrc32ChainsLikeZlib()
        {
            var random = new Random(7);
            for (int round = 0; round < 50; round++)
            {
                byte[] data = RandomBytes(random, random.Next(0, 5000));
                uint crc = 0;
                int offset = 0;
                while (offset < data.Length)
                {
                    int chunk = Math.Min(random.Next(0, 700), data.Length - offset);
                    crc = Crc32.Update(crc, data, offset, chunk);
                    offset += chunk;
                }

                Assert.Equal(BitwiseCrc32(data, 0, data.Length), crc);
            }
        }

        [Fact]
        public void HmacMatchesDotNet()
        {
            var random = new Random(11);
            for (int round = 0; round < 200; round++)
            {
                byte[] key = RandomBytes(random, random.Next(0, 300));
                byte[] data = RandomBytes(random, random.Next(0, 3000));
                Assert.Equal(HMACMD5.HashData(key, data), Hmac.HmacMd5(key, data));
                Assert.Equal(HMACSHA1.HashData(key, data), Hmac.HmacSha1(key, data));
                Assert.Equal(HMACSHA256.HashData(key, data), Hmac.HmacSha256(key, data));
                Assert.Equal(HMACSHA384.HashData(key, data), Hmac.Compute(HashAlgorithmKind.Sha384, key, data));
                Assert.Equal(HMACSHA512.HashData(key, data), Hmac.Compute(HashAlgorithmKind.Sha512, key, data));
            }
        }

        [Fact]
        public void HexAndBase64MatchDotNet()
        {
            var random = new Random(13);
            for (int round = 0; round < 300; round++)
            {
                byte[] data = RandomBytes(random, random.Next(0, 600));
                int offset = random.Next(0, data.Length + 1);
                int count = random.Next(0, data.Length - offset + 1);

                string hex = Hex.ToHex(data, offset, count);
                Assert.Equal(Convert.ToHexString(data, offset, count).ToLowerInvariant(), hex);
                var parsed = new byte[count];
                Assert.True(Hex.TryParse(hex.ToUpperInvariant(), parsed, 0));
                Assert.Equal(new ArraySegment<byte>(data, offset, count).ToArray(), parsed);

                string base64 = Base64.Encode(data, offset, count);
                Assert.Equal(Convert.ToBase64String(data, offset, count), base64);
                Assert.Equal(parsed, Base64.Decode(base64));
                Assert.Equal(parsed, Base64.Decode(Convert.ToBase64String(parsed, Base64FormattingOptions.InsertLineBreaks)));
            }
        }
    }
}
