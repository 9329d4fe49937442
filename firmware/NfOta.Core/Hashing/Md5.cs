namespace NfOta.Hashing
{
    /// <summary>MD5 (RFC 1321). Only for checking images against platforms that publish MD5 sums.</summary>
    public sealed class Md5 : BlockHash
    {
        private uint _a, _b, _c, _d;

        public Md5()
            : base(HashAlgorithmKind.Md5, 16, 64, 8, false, 16)
        {
            Reset();
        }

        protected override void InitChain()
        {
            _a = 0x67452301;
            _b = 0xefcdab89;
            _c = 0x98badcfe;
            _d = 0x10325476;
        }

        protected override void Compress(byte[] data, int offset)
        {
            // Fully unrolled (RFC 1321 3.4): the constants K[i] = floor(abs(sin(i + 1)) * 2^32), the
            // rotations and the word order sit in the code, saving the look-ups and index arithmetic
            // an interpreted loop pays on every step.
            uint x0 = ByteOrder.ReadUInt32LE(data, offset + 0);
            uint x1 = ByteOrder.ReadUInt32LE(data, offset + 4);
            uint x2 = ByteOrder.ReadUInt32LE(data, offset + 8);
            uint x3 = ByteOrder.ReadUInt32LE(data, offset + 12);
            uint x4 = ByteOrder.ReadUInt32LE(data, offset + 16);
            uint x5 = ByteOrder.ReadUInt32LE(data, offset + 20);
            uint x6 = ByteOrder.ReadUInt32LE(data, offset + 24);
            uint x7 = ByteOrder.ReadUInt32LE(data, offset + 28);
            uint x8 = ByteOrder.ReadUInt32LE(data, offset + 32);
            uint x9 = ByteOrder.ReadUInt32LE(data, offset + 36);
            uint x10 = ByteOrder.ReadUInt32LE(data, offset + 40);
            uint x11 = ByteOrder.ReadUInt32LE(data, offset + 44);
            uint x12 = ByteOrder.ReadUInt32LE(data, offset + 48);
            uint x13 = ByteOrder.ReadUInt32LE(data, offset + 52);
            uint x14 = ByteOrder.ReadUInt32LE(data, offset + 56);
            uint x15 = ByteOrder.ReadUInt32LE(data, offset + 60);

            uint a = _a, b = _b, c = _c, d = _d, t;

            // Round 1: F.
            t = a + ((b & c) | (~b & d)) + 0xd76aa478 + x0;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0xe8c7b756 + x1;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0x242070db + x2;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0xc1bdceee + x3;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0xf57c0faf + x4;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0x4787c62a + x5;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xa8304613 + x6;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0xfd469501 + x7;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0x698098d8 + x8;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0x8b44f7af + x9;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xffff5bb1 + x10;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0x895cd7be + x11;
            b = c + ((t << 22) | (t >> 10));
            t = a + ((b & c) | (~b & d)) + 0x6b901122 + x12;
            a = b + ((t << 7) | (t >> 25));
            t = d + ((a & b) | (~a & c)) + 0xfd987193 + x13;
            d = a + ((t << 12) | (t >> 20));
            t = c + ((d & a) | (~d & b)) + 0xa679438e + x14;
            c = d + ((t << 17) | (t >> 15));
            t = b + ((c & d) | (~c & a)) + 0x49b40821 + x15;
            b = c + ((t << 22) | (t >> 10));
            // Round 2: G.
            t = a + ((b & d) | (c & ~d)) + 0xf61e2562 + x1;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((a & c) | (b & ~c)) + 0xc040b340 + x6;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((d & b) | (a & ~b)) + 0x265e5a51 + x11;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((c & a) | (d & ~a)) + 0xe9b6c7aa + x0;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((b & d) | (c & ~d)) + 0xd62f105d + x5;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((a & c) | (b & ~c)) + 0x02441453 + x10;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((d & b) | (a & ~b)) + 0xd8a1e681 + x15;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((c & a) | (d & ~a)) + 0xe7d3fbc8 + x4;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((b & d) | (c & ~d)) + 0x21e1cde6 + x9;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((a & c) | (b & ~c)) + 0xc33707d6 + x14;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((d & b) | (a & ~b)) + 0xf4d50d87 + x3;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((c & a) | (d & ~a)) + 0x455a14ed + x8;
            b = c + ((t << 20) | (t >> 12));
            t = a + ((b & d) | (c & ~d)) + 0xa9e3e905 + x13;
            a = b + ((t << 5) | (t >> 27));
            t = d + ((a & c) | (b & ~c)) + 0xfcefa3f8 + x2;
            d = a + ((t << 9) | (t >> 23));
            t = c + ((d & b) | (a & ~b)) + 0x676f02d9 + x7;
            c = d + ((t << 14) | (t >> 18));
            t = b + ((c & a) | (d & ~a)) + 0x8d2a4c8a + x12;
            b = c + ((t << 20) | (t >> 12));
            // Round 3: H.
            t = a + (b ^ c ^ d) + 0xfffa3942 + x5;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0x8771f681 + x8;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0x6d9d6122 + x11;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xfde5380c + x14;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0xa4beea44 + x1;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0x4bdecfa9 + x4;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0xf6bb4b60 + x7;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xbebfbc70 + x10;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0x289b7ec6 + x13;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0xeaa127fa + x0;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0xd4ef3085 + x3;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0x04881d05 + x6;
            b = c + ((t << 23) | (t >> 9));
            t = a + (b ^ c ^ d) + 0xd9d4d039 + x9;
            a = b + ((t << 4) | (t >> 28));
            t = d + (a ^ b ^ c) + 0xe6db99e5 + x12;
            d = a + ((t << 11) | (t >> 21));
            t = c + (d ^ a ^ b) + 0x1fa27cf8 + x15;
            c = d + ((t << 16) | (t >> 16));
            t = b + (c ^ d ^ a) + 0xc4ac5665 + x2;
            b = c + ((t << 23) | (t >> 9));
            // Round 4: I.
            t = a + (c ^ (b | ~d)) + 0xf4292244 + x0;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0x432aff97 + x7;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xab9423a7 + x14;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0xfc93a039 + x5;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0x655b59c3 + x12;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0x8f0ccc92 + x3;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xffeff47d + x10;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0x85845dd1 + x1;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0x6fa87e4f + x8;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0xfe2ce6e0 + x15;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0xa3014314 + x6;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0x4e0811a1 + x13;
            b = c + ((t << 21) | (t >> 11));
            t = a + (c ^ (b | ~d)) + 0xf7537e82 + x4;
            a = b + ((t << 6) | (t >> 26));
            t = d + (b ^ (a | ~c)) + 0xbd3af235 + x11;
            d = a + ((t << 10) | (t >> 22));
            t = c + (a ^ (d | ~b)) + 0x2ad7d2bb + x2;
            c = d + ((t << 15) | (t >> 17));
            t = b + (d ^ (c | ~a)) + 0xeb86d391 + x9;
            b = c + ((t << 21) | (t >> 11));

            _a += a;
            _b += b;
            _c += c;
            _d += d;
        }

        protected override void WriteDigest(byte[] output, int offset)
        {
            ByteOrder.WriteUInt32LE(_a, output, offset);
            ByteOrder.WriteUInt32LE(_b, output, offset + 4);
            ByteOrder.WriteUInt32LE(_c, output, offset + 8);
            ByteOrder.WriteUInt32LE(_d, output, offset + 12);
        }

        protected override void SaveChain(byte[] buffer, int offset)
        {
            WriteDigest(buffer, offset);
        }

        protected override void LoadChain(byte[] buffer, int offset)
        {
            _a = ByteOrder.ReadUInt32LE(buffer, offset);
            _b = ByteOrder.ReadUInt32LE(buffer, offset + 4);
            _c = ByteOrder.ReadUInt32LE(buffer, offset + 8);
            _d = ByteOrder.ReadUInt32LE(buffer, offset + 12);
        }
    }
}
