using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    /// <summary>Helpers for the hashing tests: ASCII bytes, filled buffers, one-shot digests.</summary>
    internal static class HashingTestData
    {
        public const string Nist448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

        public const string Nist896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        public static byte[] Fill(byte value, int count)
        {
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = value;
            }

            return bytes;
        }

        /// <summary>Deterministic bytes that differ from block to block (a simple LCG).</summary>
        public static byte[] Pattern(int count)
        {
            byte[] bytes = new byte[count];
            uint x = 12345;
            for (int i = 0; i < count; i++)
            {
                x = x * 1103515245 + 12345;
                bytes[i] = (byte)(x >> 16);
            }

            return bytes;
        }

        public static string Digest(IIncrementalHash hash, byte[] data)
        {
            hash.Update(data, 0, data.Length);
            return Final(hash);
        }

        public static string Final(IIncrementalHash hash)
        {
            byte[] output = new byte[hash.HashSize];
            hash.Final(output, 0);
            return Hex.ToHex(output, 0, output.Length);
        }

        /// <summary>The digest of count bytes of 'a', fed 1000 at a time.</summary>
        public static string MillionA(IIncrementalHash hash)
        {
            byte[] chunk = Fill((byte)'a', 1000);
            for (int i = 0; i < 1000; i++)
            {
                hash.Update(chunk, 0, chunk.Length);
            }

            return Final(hash);
        }
    }
}
