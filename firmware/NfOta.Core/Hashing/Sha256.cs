namespace NfOta.Hashing
{
    /// <summary>SHA-256 (FIPS 180-4).</summary>
    public sealed class Sha256 : BlockHash
    {
        // First 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] K = new uint[]
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
            0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
            0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
            0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
            0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
            0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
            0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
            0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
        };

        private readonly uint[] _w = new uint[64];
        private readonly uint[] _h = new uint[8];

        public Sha256()
            : base(HashAlgorithmKind.Sha256, 32, 64, 8, true, 32)
        {
            Reset();
        }

        protected override void InitChain()
        {
            // First 32 bits of the fractional parts of the square roots of the first 8 primes.
            _h[0] = 0x6a09e667;
            _h[1] = 0xbb67ae85;
            _h[2] = 0x3c6ef372;
            _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f;
            _h[5] = 0x9b05688c;
            _h[6] = 0x1f83d9ab;
            _h[7] = 0x5be0cd19;
        }

        protected override void Compress(byte[] data, int offset)
        {
            uint[] w = _w;
            for (int i = 0; i < 16; i++)
            {
                w[i] = ByteOrder.ReadUInt32BE(data, offset + (i << 2));
            }

            for (int i = 16; i < 64; i++)
            {
                uint x = w[i - 15];
                uint y = w[i - 2];
                uint s0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3);
                uint s1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }

            uint[] h = _h;
            uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            // Eight rounds per pass with the working variables renamed instead of shifted.
            for (int i = 0; i < 64; i += 8)
            {
                hh += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i];
                d += hh;
                hh += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c));
                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + K[i + 1] + w[i + 1];
                c += g;
                g += (((hh >> 2) | (hh << 30)) ^ ((hh >> 13) | (hh << 19)) ^ ((hh >> 22) | (hh << 10))) + ((hh & a) ^ (hh & b) ^ (a & b));
                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + K[i + 2] + w[i + 2];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & hh) ^ (g & a) ^ (hh & a));
                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + K[i + 3] + w[i + 3];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) ^ (f & hh) ^ (g & hh));
                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + K[i + 4] + w[i + 4];
                hh += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) ^ (e & g) ^ (f & g));
                c += (((hh >> 6) | (hh << 26)) ^ ((hh >> 11) | (hh << 21)) ^ ((hh >> 25) | (hh << 7))) + ((hh & a) ^ (~hh & b)) + K[i + 5] + w[i + 5];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) ^ (d & f) ^ (e & f));
                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + ((g & hh) ^ (~g & a)) + K[i + 6] + w[i + 6];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) ^ (c & e) ^ (d & e));
                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + ((f & g) ^ (~f & hh)) + K[i + 7] + w[i + 7];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) ^ (b & d) ^ (c & d));
            }

            h[0] += a;
            h[1] += b;
            h[2] += c;
            h[3] += d;
            h[4] += e;
            h[5] += f;
            h[6] += g;
            h[7] += hh;
        }

        protected override void WriteDigest(byte[] output, int offset)
        {
            for (int i = 0; i < 8; i++)
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
            for (int i = 0; i < 8; i++)
            {
                _h[i] = ByteOrder.ReadUInt32BE(buffer, offset + (i << 2));
            }
        }
    }
}
