namespace NfOta.Hashing
{
    /// <summary>
    /// SHA-512 (FIPS 180-4), and through <see cref="Sha384"/> its truncated variant: one engine,
    /// two sets of initial values and digest lengths.
    /// </summary>
    public class Sha512 : BlockHash
    {
        // First 64 bits of the fractional parts of the cube roots of the first 80 primes.
        private static readonly ulong[] K = new ulong[]
        {
            0x428a2f98d728ae22UL, 0x7137449123ef65cdUL, 0xb5c0fbcfec4d3b2fUL, 0xe9b5dba58189dbbcUL,
            0x3956c25bf348b538UL, 0x59f111f1b605d019UL, 0x923f82a4af194f9bUL, 0xab1c5ed5da6d8118UL,
            0xd807aa98a3030242UL, 0x12835b0145706fbeUL, 0x243185be4ee4b28cUL, 0x550c7dc3d5ffb4e2UL,
            0x72be5d74f27b896fUL, 0x80deb1fe3b1696b1UL, 0x9bdc06a725c71235UL, 0xc19bf174cf692694UL,
            0xe49b69c19ef14ad2UL, 0xefbe4786384f25e3UL, 0x0fc19dc68b8cd5b5UL, 0x240ca1cc77ac9c65UL,
            0x2de92c6f592b0275UL, 0x4a7484aa6ea6e483UL, 0x5cb0a9dcbd41fbd4UL, 0x76f988da831153b5UL,
            0x983e5152ee66dfabUL, 0xa831c66d2db43210UL, 0xb00327c898fb213fUL, 0xbf597fc7beef0ee4UL,
            0xc6e00bf33da88fc2UL, 0xd5a79147930aa725UL, 0x06ca6351e003826fUL, 0x142929670a0e6e70UL,
            0x27b70a8546d22ffcUL, 0x2e1b21385c26c926UL, 0x4d2c6dfc5ac42aedUL, 0x53380d139d95b3dfUL,
            0x650a73548baf63deUL, 0x766a0abb3c77b2a8UL, 0x81c2c92e47edaee6UL, 0x92722c851482353bUL,
            0xa2bfe8a14cf10364UL, 0xa81a664bbc423001UL, 0xc24b8b70d0f89791UL, 0xc76c51a30654be30UL,
            0xd192e819d6ef5218UL, 0xd69906245565a910UL, 0xf40e35855771202aUL, 0x106aa07032bbd1b8UL,
            0x19a4c116b8d2d0c8UL, 0x1e376c085141ab53UL, 0x2748774cdf8eeb99UL, 0x34b0bcb5e19b48a8UL,
            0x391c0cb3c5c95a63UL, 0x4ed8aa4ae3418acbUL, 0x5b9cca4f7763e373UL, 0x682e6ff3d6b2b8a3UL,
            0x748f82ee5defb2fcUL, 0x78a5636f43172f60UL, 0x84c87814a1f0ab72UL, 0x8cc702081a6439ecUL,
            0x90befffa23631e28UL, 0xa4506cebde82bde9UL, 0xbef9a3f7b2c67915UL, 0xc67178f2e372532bUL,
            0xca273eceea26619cUL, 0xd186b8c721c0c207UL, 0xeada7dd6cde0eb1eUL, 0xf57d4f7fee6ed178UL,
            0x06f067aa72176fbaUL, 0x0a637dc5a2c898a6UL, 0x113f9804bef90daeUL, 0x1b710b35131c471bUL,
            0x28db77f523047d84UL, 0x32caab7b40c72493UL, 0x3c9ebe0a15c9bebcUL, 0x431d67c49c100d4cUL,
            0x4cc5d4becb3e42b6UL, 0x597f299cfc657e2aUL, 0x5fcb6fab3ad6faecUL, 0x6c44198c4a475817UL
        };

        // SHA-512: square roots of the first 8 primes.
        private static readonly ulong[] Iv512 = new ulong[]
        {
            0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL,
            0x510e527fade682d1UL, 0x9b05688c2b3e6c1fUL, 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL
        };

        // SHA-384: square roots of the 9th to 16th primes.
        internal static readonly ulong[] Iv384 = new ulong[]
        {
            0xcbbb9d5dc1059ed8UL, 0x629a292a367cd507UL, 0x9159015a3070dd17UL, 0x152fecd8f70e5939UL,
            0x67332667ffc00b31UL, 0x8eb44a8768581511UL, 0xdb0c2e0d64f98fa7UL, 0x47b5481dbefa4fa4UL
        };

        private readonly ulong[] _iv;
        private readonly ulong[] _w = new ulong[80];
        private readonly ulong[] _h = new ulong[8];

        public Sha512()
            : this(HashAlgorithmKind.Sha512, Iv512, 64)
        {
        }

        internal Sha512(HashAlgorithmKind kind, ulong[] iv, int hashSize)
            : base(kind, hashSize, 128, 16, true, 64)
        {
            _iv = iv;
            Reset();
        }

        protected override void InitChain()
        {
            for (int i = 0; i < 8; i++)
            {
                _h[i] = _iv[i];
            }
        }

        protected override void Compress(byte[] data, int offset)
        {
            ulong[] w = _w;
            for (int i = 0; i < 16; i++)
            {
                w[i] = ByteOrder.ReadUInt64BE(data, offset + (i << 3));
            }

            for (int i = 16; i < 80; i++)
            {
                ulong x = w[i - 15];
                ulong y = w[i - 2];
                ulong s0 = ((x >> 1) | (x << 63)) ^ ((x >> 8) | (x << 56)) ^ (x >> 7);
                ulong s1 = ((y >> 19) | (y << 45)) ^ ((y >> 61) | (y << 3)) ^ (y >> 6);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }

            ulong[] h = _h;
            ulong a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
            // Eight rounds per pass with the working variables renamed instead of shifted.
            for (int i = 0; i < 80; i += 8)
            {
                hh += (((e >> 14) | (e << 50)) ^ ((e >> 18) | (e << 46)) ^ ((e >> 41) | (e << 23))) + ((e & f) ^ (~e & g)) + K[i] + w[i];
                d += hh;
                hh += (((a >> 28) | (a << 36)) ^ ((a >> 34) | (a << 30)) ^ ((a >> 39) | (a << 25))) + ((a & b) ^ (a & c) ^ (b & c));
                g += (((d >> 14) | (d << 50)) ^ ((d >> 18) | (d << 46)) ^ ((d >> 41) | (d << 23))) + ((d & e) ^ (~d & f)) + K[i + 1] + w[i + 1];
                c += g;
                g += (((hh >> 28) | (hh << 36)) ^ ((hh >> 34) | (hh << 30)) ^ ((hh >> 39) | (hh << 25))) + ((hh & a) ^ (hh & b) ^ (a & b));
                f += (((c >> 14) | (c << 50)) ^ ((c >> 18) | (c << 46)) ^ ((c >> 41) | (c << 23))) + ((c & d) ^ (~c & e)) + K[i + 2] + w[i + 2];
                b += f;
                f += (((g >> 28) | (g << 36)) ^ ((g >> 34) | (g << 30)) ^ ((g >> 39) | (g << 25))) + ((g & hh) ^ (g & a) ^ (hh & a));
                e += (((b >> 14) | (b << 50)) ^ ((b >> 18) | (b << 46)) ^ ((b >> 41) | (b << 23))) + ((b & c) ^ (~b & d)) + K[i + 3] + w[i + 3];
                a += e;
                e += (((f >> 28) | (f << 36)) ^ ((f >> 34) | (f << 30)) ^ ((f >> 39) | (f << 25))) + ((f & g) ^ (f & hh) ^ (g & hh));
                d += (((a >> 14) | (a << 50)) ^ ((a >> 18) | (a << 46)) ^ ((a >> 41) | (a << 23))) + ((a & b) ^ (~a & c)) + K[i + 4] + w[i + 4];
                hh += d;
                d += (((e >> 28) | (e << 36)) ^ ((e >> 34) | (e << 30)) ^ ((e >> 39) | (e << 25))) + ((e & f) ^ (e & g) ^ (f & g));
                c += (((hh >> 14) | (hh << 50)) ^ ((hh >> 18) | (hh << 46)) ^ ((hh >> 41) | (hh << 23))) + ((hh & a) ^ (~hh & b)) + K[i + 5] + w[i + 5];
                g += c;
                c += (((d >> 28) | (d << 36)) ^ ((d >> 34) | (d << 30)) ^ ((d >> 39) | (d << 25))) + ((d & e) ^ (d & f) ^ (e & f));
                b += (((g >> 14) | (g << 50)) ^ ((g >> 18) | (g << 46)) ^ ((g >> 41) | (g << 23))) + ((g & hh) ^ (~g & a)) + K[i + 6] + w[i + 6];
                f += b;
                b += (((c >> 28) | (c << 36)) ^ ((c >> 34) | (c << 30)) ^ ((c >> 39) | (c << 25))) + ((c & d) ^ (c & e) ^ (d & e));
                a += (((f >> 14) | (f << 50)) ^ ((f >> 18) | (f << 46)) ^ ((f >> 41) | (f << 23))) + ((f & g) ^ (~f & hh)) + K[i + 7] + w[i + 7];
                e += a;
                a += (((b >> 28) | (b << 36)) ^ ((b >> 34) | (b << 30)) ^ ((b >> 39) | (b << 25))) + ((b & c) ^ (b & d) ^ (c & d));
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
            // SHA-384 keeps the first six words.
            int words = HashSize >> 3;
            for (int i = 0; i < words; i++)
            {
                ByteOrder.WriteUInt64BE(_h[i], output, offset + (i << 3));
            }
        }

        protected override void SaveChain(byte[] buffer, int offset)
        {
            for (int i = 0; i < 8; i++)
            {
                ByteOrder.WriteUInt64BE(_h[i], buffer, offset + (i << 3));
            }
        }

        protected override void LoadChain(byte[] buffer, int offset)
        {
            for (int i = 0; i < 8; i++)
            {
                _h[i] = ByteOrder.ReadUInt64BE(buffer, offset + (i << 3));
            }
        }
    }

    /// <summary>SHA-384: the SHA-512 engine with its own initial values, digest cut to 48 bytes.</summary>
    public sealed class Sha384 : Sha512
    {
        public Sha384()
            : base(HashAlgorithmKind.Sha384, Iv384, 48)
        {
        }
    }
}
