namespace NfOta.Hashing
{
    /// <summary>SHA-1 (FIPS 180-4). Here for platforms that still name it and for HMAC-SHA1 passwords.</summary>
    public sealed class Sha1 : BlockHash
    {
        private readonly uint[] _w = new uint[80];
        private readonly uint[] _h = new uint[5];

        public Sha1()
            : base(HashAlgorithmKind.Sha1, 20, 64, 8, true, 20)
        {
            Reset();
        }

        protected override void InitChain()
        {
            _h[0] = 0x67452301;
            _h[1] = 0xefcdab89;
            _h[2] = 0x98badcfe;
            _h[3] = 0x10325476;
            _h[4] = 0xc3d2e1f0;
        }

        protected override void Compress(byte[] data, int offset)
        {
            uint[] w = _w;
            for (int i = 0; i < 16; i++)
            {
                w[i] = ByteOrder.ReadUInt32BE(data, offset + (i << 2));
            }

            for (int i = 16; i < 80; i++)
            {
                uint v = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
                w[i] = (v << 1) | (v >> 31);
            }

            uint[] h = _h;
            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;
            for (int i = 0; i < 20; i++)
            {
                t = ((a << 5) | (a >> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = t;
            }

            for (int i = 20; i < 40; i++)
            {
                t = ((a << 5) | (a >> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = t;
            }

            for (int i = 40; i < 60; i++)
            {
                t = ((a << 5) | (a >> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = t;
            }

            for (int i = 60; i < 80; i++)
            {
                t = ((a << 5) | (a >> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = t;
            }

            h[0] += a;
            h[1] += b;
            h[2] += c;
            h[3] += d;
            h[4] += e;
        }

        protected override void WriteDigest(byte[] output, int offset)
        {
            for (int i = 0; i < 5; i++)
            {
                ByteOrder.WriteUInt32BE(_h[i], output, offset + (i << 2));
            }
        }

        protected override void SaveChain(byte[] buffer, int offset)
        {
            WriteDigest(buffer, offset);
        }

        protected override void LoadChain(byte[] buffer, int offset)
        {
            for (int i = 0; i < 5; i++)
            {
                _h[i] = ByteOrder.ReadUInt32BE(buffer, offset + (i << 2));
            }
        }
    }
}
