using NfOta.Hashing;

namespace NfOta.Security
{
    /// <summary>
    /// Ed25519 signature verification (RFC 8032 section 5.1.7), in the nanoFramework subset: no
    /// System.Numerics, no generics. Only verification: devices check signatures, the PC signs.
    /// Everything here is public data (key, message, signature), so the code is not constant-time.
    /// </summary>
    public static class Ed25519
    {
        public const int PublicKeySize = 32;
        public const int SignatureSize = 64;

        /// <summary>
        /// True when <paramref name="signature64"/> is a valid Ed25519 signature of
        /// message[offset .. offset+count) by <paramref name="publicKey32"/>. False for any malformed
        /// input: wrong lengths, a public key that is not a canonical curve point, S not below the
        /// group order L (so S+L, the classic malleability, is refused). Beyond RFC 8032, and like
        /// libsodium, a public key of small order is refused: with the identity as key, R = identity
        /// and S = 0 would "sign" every message.
        /// </summary>
        public static bool Verify(byte[] publicKey32, byte[] message, int offset, int count, byte[] signature64)
        {
            if (publicKey32 == null || publicKey32.Length != PublicKeySize) return false;
            if (signature64 == null || signature64.Length != SignatureSize) return false;
            if (message == null || offset < 0 || count < 0 || offset > message.Length - count) return false;
            if (!IsCanonicalScalar(signature64, 32)) return false;

            Ed25519Curve curve = new Ed25519Curve();
            EdPoint a = new EdPoint();
            if (!curve.Decode(a, publicKey32, 0) || curve.HasSmallOrder(a)) return false;
            curve.Negate(a, a);

            // k = SHA-512(R || A || M) mod L
            byte[] h = new byte[64];
            Sha512 sha = new Sha512();
            sha.Reset();
            sha.Update(signature64, 0, 32);
            sha.Update(publicKey32, 0, 32);
            sha.Update(message, offset, count);
            sha.Final(h, 0);
            byte[] k = new byte[32];
            ReduceModL(h, k);

            // [S]B + [k](-A) must be R. Comparing encodings is the cofactorless check
            // [S]B == R + [k]A of RFC 8032: the encoding of a point is unique and canonical, so a
            // non-canonical or undecodable R can never match.
            EdPoint q = new EdPoint();
            curve.DoubleScalarMulBase(q, signature64, 32, k, a);
            byte[] r = new byte[32];
            curve.Encode(r, q);
            int diff = 0;
            for (int i = 0; i < 32; i++) diff |= r[i] ^ signature64[i];
            return diff == 0;
        }

        /// <summary>
        /// True when <paramref name="publicKey32"/> can verify anything: 32 bytes that decode to a
        /// curve point of large order. For checking the settings' key when they are loaded.
        /// </summary>
        public static bool IsValidPublicKey(byte[] publicKey32)
        {
            if (publicKey32 == null || publicKey32.Length != PublicKeySize) return false;
            Ed25519Curve curve = new Ed25519Curve();
            EdPoint a = new EdPoint();
            return curve.Decode(a, publicKey32, 0) && !curve.HasSmallOrder(a);
        }

        // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
        private static readonly byte[] L =
        {
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10
        };

        /// <summary>True when the 32-byte little-endian scalar at s[offset] is below L.</summary>
        internal static bool IsCanonicalScalar(byte[] s, int offset)
        {
            for (int i = 31; i >= 0; i--)
            {
                if (s[offset + i] < L[i]) return true;
                if (s[offset + i] > L[i]) return false;
            }
            return false;
        }

        /// <summary>r = (64-byte little-endian x) mod L, as in TweetNaCl's modL.</summary>
        internal static void ReduceModL(byte[] x64, byte[] r32)
        {
            long[] x = new long[64];
            for (int i = 0; i < 64; i++) x[i] = x64[i];
            long carry;
            for (int i = 63; i >= 32; i--)
            {
                carry = 0;
                int j;
                for (j = i - 32; j < i - 12; j++)
                {
                    x[j] += carry - 16 * x[i] * L[j - (i - 32)];
                    carry = (x[j] + 128) >> 8;
                    x[j] -= carry << 8;
                }
                x[j] += carry;
                x[i] = 0;
            }
            carry = 0;
            for (int j = 0; j < 32; j++)
            {
                x[j] += carry - (x[31] >> 4) * L[j];
                carry = x[j] >> 8;
                x[j] &= 255;
            }
            for (int j = 0; j < 32; j++) x[j] -= carry * L[j];
            for (int i = 0; i < 32; i++)
            {
                x[i + 1] += x[i] >> 8;
                r32[i] = (byte)(x[i] & 255);
            }
        }
    }

    /// <summary>A point in extended twisted Edwards coordinates: x = X/Z, y = Y/Z, xy = T/Z.</summary>
    internal sealed class EdPoint
    {
        public readonly long[] X = new long[10];
        public readonly long[] Y = new long[10];
        public readonly long[] Z = new long[10];
        public readonly long[] T = new long[10];
    }

    /// <summary>
    /// Arithmetic on edwards25519. Field elements mod p = 2^255-19 are 10 signed limbs in radix
    /// 2^25.5 (26, 25, 26, 25 ... bits, as in ref10); after every operation each limb is below 2^26
    /// in magnitude, so every product sum stays below 2^61. One instance holds all
    /// temporaries, so the arithmetic allocates nothing after construction.
    /// </summary>
    internal sealed class Ed25519Curve
    {
        // d = -121665/121666, 2d, sqrt(-1) and the base point B, little-endian.
        private static readonly byte[] DBytes =
        {
            0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
            0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52
        };
        private static readonly byte[] D2Bytes =
        {
            0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
            0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24
        };
        private static readonly byte[] SqrtM1Bytes =
        {
            0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
            0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b
        };
        private static readonly byte[] BaseXBytes =
        {
            0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
            0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21
        };
        private static readonly byte[] BaseYBytes =
        {
            0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
            0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66
        };

        private readonly long[] _d = new long[10];
        private readonly long[] _d2 = new long[10];
        private readonly long[] _sqrtM1 = new long[10];
        private readonly long[] _one = new long[10];
        private readonly EdPoint _base = new EdPoint();

        // temporaries
        private readonly long[] _t0 = new long[10], _t1 = new long[10], _t2 = new long[10], _t3 = new long[10];
        private readonly long[] _t4 = new long[10], _t5 = new long[10], _t6 = new long[10], _t7 = new long[10];
        private readonly long[] _t8 = new long[10], _t9 = new long[10];
        private readonly long[] _p0 = new long[10], _p1 = new long[10], _p2 = new long[10];
        private readonly long[] _pack = new long[10], _packG = new long[10];
        private readonly byte[] _bytesA = new byte[32], _bytesB = new byte[32];
        private readonly EdPoint _baseMinusA = new EdPoint();

        public Ed25519Curve()
        {
            Unpack(_d, DBytes, 0);
            Unpack(_d2, D2Bytes, 0);
            Unpack(_sqrtM1, SqrtM1Bytes, 0);
            _one[0] = 1;
            Unpack(_base.X, BaseXBytes, 0);
            Unpack(_base.Y, BaseYBytes, 0);
            Copy(_base.Z, _one);
            Mul(_base.T, _base.X, _base.Y);
        }

        // ---------------------------------------------------------------- field arithmetic

        private static int Width(int i)
        {
            return (i & 1) == 0 ? 26 : 25;
        }

        private static void Copy(long[] o, long[] a)
        {
            for (int i = 0; i < 10; i++) o[i] = a[i];
        }

        /// <summary>Brings every limb back below 2^26 in magnitude; the value mod p is unchanged.</summary>
        private static void Carry(long[] h)
        {
            for (int i = 0; i < 10; i++)
            {
                int w = Width(i);
                long c = h[i] >> w;
                h[i] -= c << w;
                if (i < 9) h[i + 1] += c;
                else h[0] += 19 * c;
            }
            long c0 = h[0] >> 26;
            h[0] -= c0 << 26;
            h[1] += c0;
        }

        internal static void Add(long[] o, long[] a, long[] b)
        {
            for (int i = 0; i < 10; i++) o[i] = a[i] + b[i];
            Carry(o);
        }

        internal static void Sub(long[] o, long[] a, long[] b)
        {
            for (int i = 0; i < 10; i++) o[i] = a[i] - b[i];
            Carry(o);
        }

        internal static void Neg(long[] o, long[] a)
        {
            for (int i = 0; i < 10; i++) o[i] = -a[i];
            Carry(o);
        }

        /// <summary>o = a * b mod p; o may be a or b. Unrolled: the interpreter on the device pays per IL op.</summary>
        internal static void Mul(long[] o, long[] a, long[] b)
        {
            long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9];
            long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7], b8 = b[8], b9 = b[9];
            // odd limbs times odd limbs carry one extra bit; 2^255 = 19 (mod p)
            long a1x2 = a1 << 1, a3x2 = a3 << 1, a5x2 = a5 << 1, a7x2 = a7 << 1, a9x2 = a9 << 1;
            long b1x19 = 19 * b1, b2x19 = 19 * b2, b3x19 = 19 * b3, b4x19 = 19 * b4, b5x19 = 19 * b5, b6x19 = 19 * b6, b7x19 = 19 * b7, b8x19 = 19 * b8, b9x19 = 19 * b9;
            o[0] = a0 * b0 + a1x2 * b9x19 + a2 * b8x19 + a3x2 * b7x19 + a4 * b6x19 + a5x2 * b5x19 + a6 * b4x19 + a7x2 * b3x19 + a8 * b2x19 + a9x2 * b1x19;
            o[1] = a0 * b1 + a1 * b0 + a2 * b9x19 + a3 * b8x19 + a4 * b7x19 + a5 * b6x19 + a6 * b5x19 + a7 * b4x19 + a8 * b3x19 + a9 * b2x19;
            o[2] = a0 * b2 + a1x2 * b1 + a2 * b0 + a3x2 * b9x19 + a4 * b8x19 + a5x2 * b7x19 + a6 * b6x19 + a7x2 * b5x19 + a8 * b4x19 + a9x2 * b3x19;
            o[3] = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * b9x19 + a5 * b8x19 + a6 * b7x19 + a7 * b6x19 + a8 * b5x19 + a9 * b4x19;
            o[4] = a0 * b4 + a1x2 * b3 + a2 * b2 + a3x2 * b1 + a4 * b0 + a5x2 * b9x19 + a6 * b8x19 + a7x2 * b7x19 + a8 * b6x19 + a9x2 * b5x19;
            o[5] = a0 * b5 + a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1 + a5 * b0 + a6 * b9x19 + a7 * b8x19 + a8 * b7x19 + a9 * b6x19;
            o[6] = a0 * b6 + a1x2 * b5 + a2 * b4 + a3x2 * b3 + a4 * b2 + a5x2 * b1 + a6 * b0 + a7x2 * b9x19 + a8 * b8x19 + a9x2 * b7x19;
            o[7] = a0 * b7 + a1 * b6 + a2 * b5 + a3 * b4 + a4 * b3 + a5 * b2 + a6 * b1 + a7 * b0 + a8 * b9x19 + a9 * b8x19;
            o[8] = a0 * b8 + a1x2 * b7 + a2 * b6 + a3x2 * b5 + a4 * b4 + a5x2 * b3 + a6 * b2 + a7x2 * b1 + a8 * b0 + a9x2 * b9x19;
            o[9] = a0 * b9 + a1 * b8 + a2 * b7 + a3 * b6 + a4 * b5 + a5 * b4 + a6 * b3 + a7 * b2 + a8 * b1 + a9 * b0;
            Carry(o);
        }

        /// <summary>o = a^2 mod p; o may be a. Unrolled, 55 products instead of 100.</summary>
        internal static void Sq(long[] o, long[] a)
        {
            long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9];
            long a1x2 = 2 * a1, a2x2 = 2 * a2, a3x2 = 2 * a3, a3x4 = 4 * a3, a4x2 = 2 * a4, a5x2 = 2 * a5, a5x4 = 4 * a5, a5x38 = 38 * a5, a6x2 = 2 * a6, a6x19 = 19 * a6, a6x38 = 38 * a6, a7x2 = 2 * a7, a7x4 = 4 * a7, a7x38 = 38 * a7, a7x76 = 76 * a7, a8x2 = 2 * a8, a8x19 = 19 * a8, a8x38 = 38 * a8, a9x2 = 2 * a9, a9x38 = 38 * a9, a9x76 = 76 * a9;
            o[0] = a0 * a0 + a1 * a9x76 + a2 * a8x38 + a3 * a7x76 + a4 * a6x38 + a5 * a5x38;
            o[1] = a0 * a1x2 + a2 * a9x38 + a3 * a8x38 + a4 * a7x38 + a5 * a6x38;
            o[2] = a0 * a2x2 + a1 * a1x2 + a3 * a9x76 + a4 * a8x38 + a5 * a7x76 + a6 * a6x19;
            o[3] = a0 * a3x2 + a1 * a2x2 + a4 * a9x38 + a5 * a8x38 + a6 * a7x38;
            o[4] = a0 * a4x2 + a1 * a3x4 + a2 * a2 + a5 * a9x76 + a6 * a8x38 + a7 * a7x38;
            o[5] = a0 * a5x2 + a1 * a4x2 + a2 * a3x2 + a6 * a9x38 + a7 * a8x38;
            o[6] = a0 * a6x2 + a1 * a5x4 + a2 * a4x2 + a3 * a3x2 + a7 * a9x76 + a8 * a8x19;
            o[7] = a0 * a7x2 + a1 * a6x2 + a2 * a5x2 + a3 * a4x2 + a8 * a9x38;
            o[8] = a0 * a8x2 + a1 * a7x4 + a2 * a6x2 + a3 * a5x4 + a4 * a4 + a9 * a9x38;
            o[9] = a0 * a9x2 + a1 * a8x2 + a2 * a7x2 + a3 * a6x2 + a4 * a5x2;
            Carry(o);
        }

        private static void SqTimes(long[] o, long[] a, int times)
        {
            Sq(o, a);
            for (int i = 1; i < times; i++) Sq(o, o);
        }

        /// <summary>o250 = z^(2^250 - 1) and z11 = z^11: the common part of inversion and square root (ref10's chain).</summary>
        private void Pow2250m1(long[] o250, long[] z11, long[] z)
        {
            long[] z2 = _p0, t = _p1, z9 = _p2, z2_5_0 = _t8, z2_10_0 = _t9, z2_20_0 = _pack, z2_50_0 = _packG;
            // _pack/_packG are free here: Pack is never running during an exponentiation
            Sq(z2, z);                       // 2
            SqTimes(t, z2, 2);               // 8
            Mul(z9, t, z);                   // 9
            Mul(z11, z9, z2);                // 11
            Sq(t, z11);                      // 22
            Mul(z2_5_0, t, z9);              // 2^5 - 1
            SqTimes(t, z2_5_0, 5);
            Mul(z2_10_0, t, z2_5_0);         // 2^10 - 1
            SqTimes(t, z2_10_0, 10);
            Mul(z2_20_0, t, z2_10_0);        // 2^20 - 1
            SqTimes(t, z2_20_0, 20);
            Mul(t, t, z2_20_0);              // 2^40 - 1
            SqTimes(t, t, 10);
            Mul(z2_50_0, t, z2_10_0);        // 2^50 - 1
            SqTimes(t, z2_50_0, 50);
            Mul(o250, t, z2_50_0);           // 2^100 - 1 (kept in o250 for now)
            SqTimes(t, o250, 100);
            Mul(t, t, o250);                 // 2^200 - 1
            SqTimes(t, t, 50);
            Mul(o250, t, z2_50_0);           // 2^250 - 1
        }

        /// <summary>o = 1/z = z^(p-2).</summary>
        internal void Invert(long[] o, long[] z)
        {
            long[] z250 = _t6, z11 = _t7;
            Pow2250m1(z250, z11, z);
            SqTimes(z250, z250, 5);          // 2^255 - 32
            Mul(o, z250, z11);               // 2^255 - 21 = p - 2
        }

        /// <summary>o = z^((p-5)/8) = z^(2^252 - 3).</summary>
        internal void Pow22523(long[] o, long[] z)
        {
            long[] z250 = _t6, z11 = _t7;
            Pow2250m1(z250, z11, z);
            SqTimes(z250, z250, 2);          // 2^252 - 4
            Mul(o, z250, z);                 // 2^252 - 3
        }

        /// <summary>Reads 255 bits (the top bit of byte 31 is ignored). No range check: see IsCanonicalFieldElement.</summary>
        internal static void Unpack(long[] h, byte[] s, int offset)
        {
            ulong acc = 0;
            int bits = 0;
            int pos = offset;
            for (int i = 0; i < 10; i++)
            {
                int w = Width(i);
                while (bits < w)
                {
                    acc |= (ulong)s[pos++] << bits;
                    bits += 8;
                }
                h[i] = (long)(acc & ((1UL << w) - 1));
                acc >>= w;
                bits -= w;
            }
        }

        /// <summary>Writes the canonical 32-byte encoding (value in [0, p), top bit 0).</summary>
        internal void Pack(byte[] s, int offset, long[] a)
        {
            long[] h = _pack;
            Copy(h, a);
            // normalize to [0, 2^255): carry without folding, fold the top carry, until nothing is left
            while (true)
            {
                for (int i = 0; i < 9; i++)
                {
                    int w = Width(i);
                    long c = h[i] >> w;
                    h[i] -= c << w;
                    h[i + 1] += c;
                }
                long c9 = h[9] >> 25;
                h[9] -= c9 << 25;
                if (c9 == 0) break;
                h[0] += 19 * c9;
            }
            // value >= p exactly when value + 19 reaches 2^255; then the result is (value + 19) - 2^255
            long[] g = _packG;
            Copy(g, h);
            g[0] += 19;
            for (int i = 0; i < 9; i++)
            {
                int w = Width(i);
                long c = g[i] >> w;
                g[i] -= c << w;
                g[i + 1] += c;
            }
            if ((g[9] >> 25) != 0)
            {
                g[9] -= 1L << 25;
                h = g;
            }
            ulong acc = 0;
            int bits = 0;
            int pos = offset;
            for (int i = 0; i < 10; i++)
            {
                acc |= (ulong)h[i] << bits;
                bits += Width(i);
                while (bits >= 8)
                {
                    s[pos++] = (byte)acc;
                    acc >>= 8;
                    bits -= 8;
                }
            }
            s[pos] = (byte)acc; // the last 7 bits
        }

        /// <summary>True when the 255-bit value at s[offset] is below p (RFC 8032 decoding rejects y >= p).</summary>
        internal static bool IsCanonicalFieldElement(byte[] s, int offset)
        {
            // the values in [p, 2^255) are 0x...ffffed .. 0x...ffffff: byte 0 >= 0xed, bytes 1..30 = 0xff, byte 31 = 0x7f
            if ((s[offset + 31] & 0x7f) != 0x7f) return true;
            for (int i = 30; i >= 1; i--)
            {
                if (s[offset + i] != 0xff) return true;
            }
            return s[offset] < 0xed;
        }

        private bool Equal(long[] a, long[] b)
        {
            Pack(_bytesA, 0, a);
            Pack(_bytesB, 0, b);
            int diff = 0;
            for (int i = 0; i < 32; i++) diff |= _bytesA[i] ^ _bytesB[i];
            return diff == 0;
        }

        private bool IsZero(long[] a)
        {
            Pack(_bytesA, 0, a);
            int bits = 0;
            for (int i = 0; i < 32; i++) bits |= _bytesA[i];
            return bits == 0;
        }

        /// <summary>The low bit of the canonical value: RFC 8032 calls x "negative" when it is 1.</summary>
        private int Parity(long[] a)
        {
            Pack(_bytesA, 0, a);
            return _bytesA[0] & 1;
        }

        // ---------------------------------------------------------------- points

        /// <summary>RFC 8032 5.1.3: decodes a 32-byte point; false when it is not a canonical point of the curve.</summary>
        internal bool Decode(EdPoint p, byte[] s, int offset)
        {
            if (!IsCanonicalFieldElement(s, offset)) return false;
            int x0 = s[offset + 31] >> 7;
            long[] y = p.Y, x = p.X, u = _t0, v = _t1, v3 = _t2, chk = _t3;
            Unpack(y, s, offset);
            Sq(u, y);
            Mul(v, u, _d);
            Sub(u, u, _one);                 // u = y^2 - 1
            Add(v, v, _one);                 // v = d y^2 + 1
            Sq(v3, v);
            Mul(v3, v3, v);                  // v^3
            Sq(x, v3);
            Mul(x, x, v);                    // v^7
            Mul(x, x, u);                    // u v^7
            Pow22523(x, x);                  // (u v^7)^((p-5)/8)
            Mul(x, x, v3);
            Mul(x, x, u);                    // candidate root x = u v^3 (u v^7)^((p-5)/8)
            Sq(chk, x);
            Mul(chk, chk, v);                // v x^2
            if (!Equal(chk, u))
            {
                Add(chk, chk, u);
                if (!IsZero(chk)) return false;   // neither u nor -u: x^2 = u/v has no root
                Mul(x, x, _sqrtM1);
            }
            if (IsZero(x) && x0 == 1) return false;
            if (Parity(x) != x0) Neg(x, x);
            Copy(p.Z, _one);
            Mul(p.T, x, y);
            return true;
        }

        /// <summary>RFC 8032 5.1.2: y with the low bit of x in the top bit.</summary>
        internal void Encode(byte[] s, EdPoint p)
        {
            long[] zi = _t0, x = _t1, y = _t2;
            Invert(zi, p.Z);
            Mul(x, p.X, zi);
            Mul(y, p.Y, zi);
            Pack(s, 0, y);
            s[31] |= (byte)(Parity(x) << 7);
        }

        /// <summary>True for the 8 points of order dividing 8: [8]P is the identity, whose x is 0.</summary>
        internal bool HasSmallOrder(EdPoint p)
        {
            EdPoint q = _baseMinusA; // free outside DoubleScalarMulBase
            DoublePoint(q, p);
            DoublePoint(q, q);
            DoublePoint(q, q);
            return IsZero(q.X);
        }

        internal void Negate(EdPoint r, EdPoint p)
        {
            Neg(r.X, p.X);
            Copy(r.Y, p.Y);
            Copy(r.Z, p.Z);
            Neg(r.T, p.T);
        }

        private static void SetIdentity(EdPoint p)
        {
            for (int i = 0; i < 10; i++)
            {
                p.X[i] = 0;
                p.Y[i] = 0;
                p.Z[i] = 0;
                p.T[i] = 0;
            }
            p.Y[0] = 1;
            p.Z[0] = 1;
        }

        /// <summary>r = p + q (add-2008-hwcd-3, complete for a = -1); r may be p or q.</summary>
        internal void AddPoints(EdPoint r, EdPoint p, EdPoint q)
        {
            long[] a = _t0, b = _t1, c = _t2, d = _t3, e = _t4, f = _t5, t = _t6, h = _t7;
            Sub(a, p.Y, p.X);
            Sub(t, q.Y, q.X);
            Mul(a, a, t);                    // (Y1-X1)(Y2-X2)
            Add(b, p.Y, p.X);
            Add(t, q.Y, q.X);
            Mul(b, b, t);                    // (Y1+X1)(Y2+X2)
            Mul(c, p.T, q.T);
            Mul(c, c, _d2);                  // 2d T1 T2
            Mul(d, p.Z, q.Z);
            Add(d, d, d);                    // 2 Z1 Z2
            Sub(e, b, a);
            Sub(f, d, c);
            Add(t, d, c);                    // G
            Add(h, b, a);
            Mul(r.X, e, f);
            Mul(r.Y, t, h);
            Mul(r.T, e, h);
            Mul(r.Z, f, t);
        }

        /// <summary>r = 2p (dbl-2008-hwcd with a = -1); r may be p.</summary>
        internal void DoublePoint(EdPoint r, EdPoint p)
        {
            long[] a = _t0, b = _t1, c = _t2, e = _t3, f = _t4, g = _t5, h = _t6;
            Sq(a, p.X);
            Sq(b, p.Y);
            Sq(c, p.Z);
            Add(c, c, c);                    // C = 2 Z^2
            Add(h, p.X, p.Y);
            Sq(e, h);
            Sub(e, e, a);
            Sub(e, e, b);                    // E = (X+Y)^2 - A - B
            Sub(g, b, a);                    // G = -A + B
            Sub(f, g, c);                    // F = G - C
            Add(h, a, b);
            Neg(h, h);                       // H = -A - B
            Mul(r.X, e, f);
            Mul(r.Y, g, h);
            Mul(r.T, e, h);
            Mul(r.Z, f, g);
        }

        /// <summary>
        /// r = [s]B + [k]P for scalars below 2^253 (s at s[sOffset], k at k[0], little-endian),
        /// by one shared double-and-add pass (Straus-Shamir): half the doublings of two separate products.
        /// </summary>
        internal void DoubleScalarMulBase(EdPoint r, byte[] s, int sOffset, byte[] k, EdPoint p)
        {
            EdPoint bp = _baseMinusA;
            AddPoints(bp, _base, p);
            SetIdentity(r);
            for (int i = 252; i >= 0; i--)
            {
                DoublePoint(r, r);
                int sb = (s[sOffset + (i >> 3)] >> (i & 7)) & 1;
                int kb = (k[i >> 3] >> (i & 7)) & 1;
                if (sb != 0 && kb != 0) AddPoints(r, r, bp);
                else if (sb != 0) AddPoints(r, r, _base);
                else if (kb != 0) AddPoints(r, r, p);
            }
        }
    }
}
