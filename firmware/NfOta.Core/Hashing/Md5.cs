namespace NfOta.Hashing
{
    /// <summary>MD5 (RFC 1321). Only for checking images against platforms that publish MD5 sums.</summary>
    public sealed class Md5 : BlockHash
    {
        // K[i] = floor(abs(sin(i + 1)) * 2^32).
        private static readonly uint[] K = new uint[]
        {
            0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
            0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
            0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
            0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
            0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
            0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
            0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
            0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
            0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
            0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
            0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
            0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
            0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
            0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
            0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
            0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
        };

        // Left-rotation amounts, four per round.
        private static readonly int[] S = new int[] { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };

        private readonly uint[] _x = new uint[16];
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
            uint[] x = _x;
            for (int i = 0; i < 16; i++)
            {
                x[i] = ByteOrder.ReadUInt32LE(data, offset + (i << 2));
            }

            uint a = _a, b = _b, c = _c, d = _d, t;
            int s;
            for (int i = 0; i < 16; i++)
            {
                t = a + ((b & c) | (~b & d)) + K[i] + x[i];
                s = S[i & 3];
                a = d;
                d = c;
                c = b;
                b += (t << s) | (t >> (32 - s));
            }

            for (int i = 16; i < 32; i++)
            {
                t = a + ((b & d) | (c & ~d)) + K[i] + x[(5 * i + 1) & 15];
                s = S[4 + (i & 3)];
                a = d;
                d = c;
                c = b;
                b += (t << s) | (t >> (32 - s));
            }

            for (int i = 32; i < 48; i++)
            {
                t = a + (b ^ c ^ d) + K[i] + x[(3 * i + 5) & 15];
                s = S[8 + (i & 3)];
                a = d;
                d = c;
                c = b;
                b += (t << s) | (t >> (32 - s));
            }

            for (int i = 48; i < 64; i++)
            {
                t = a + (c ^ (b | ~d)) + K[i] + x[(7 * i) & 15];
                s = S[12 + (i & 3)];
                a = d;
                d = c;
                c = b;
                b += (t << s) | (t >> (32 - s));
            }

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
