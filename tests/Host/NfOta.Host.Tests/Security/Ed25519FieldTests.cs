using System;
using System.Numerics;
using System.Reflection;
using Xunit;

namespace NfOta.Host.Tests.Security
{
    /// <summary>
    /// The verifier's internal field arithmetic mod 2^255-19 against BigInteger, through reflection:
    /// long random chains of add, sub, neg, mul and square (limb bounds must hold after every step)
    /// and the edge values around p for packing.
    /// </summary>
    public class Ed25519FieldTests
    {
        private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
        private static readonly Type Curve = typeof(NfOta.Security.Ed25519).Assembly.GetType("NfOta.Security.Ed25519Curve", true);
        private static readonly object Instance = Activator.CreateInstance(Curve, true);

        private static void Call(string name, params object[] args)
        {
            var method = Curve.GetMethod(name, BindingFlags.Static | BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
            method.Invoke(method.IsStatic ? null : Instance, args);
        }

        private static long[] FromBig(BigInteger v)
        {
            var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: false);
            var b32 = new byte[32];
            Array.Copy(bytes, b32, Math.Min(32, bytes.Length));
            var h = new long[10];
            Call("Unpack", h, b32, 0);
            return h;
        }

        private static BigInteger ToBig(long[] h)
        {
            var s = new byte[32];
            Call("Pack", s, 0, h);
            return new BigInteger(s, isUnsigned: true, isBigEndian: false);
        }

        private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

        private static BigInteger RandomBelow255(Random r)
        {
            var b = new byte[32];
            r.NextBytes(b);
            b[31] &= 0x7f;
            return new BigInteger(b, isUnsigned: true, isBigEndian: false);
        }

        [Fact]
        public void PacksEdgeValuesCanonically()
        {
            var edges = new[] { BigInteger.Zero, BigInteger.One, P - 1, P, P + 1, P + 18, BigInteger.Pow(2, 255) - 1, BigInteger.Pow(2, 254), new BigInteger(19) };
            foreach (var v in edges)
            {
                Assert.Equal(Mod(v), ToBig(FromBig(v)));
            }
        }

        [Fact]
        public void RandomOperationChainsMatchBigInteger()
        {
            var r = new Random(255);
            for (int chain = 0; chain < 20; chain++)
            {
                var edges = new[] { P - 1, BigInteger.Pow(2, 255) - 1, BigInteger.Zero, P + 5 };
                BigInteger x = chain < edges.Length ? edges[chain] : RandomBelow255(r);
                long[] h = FromBig(x);
                x = Mod(x);
                var t = new long[10];
                for (int step = 0; step < 300; step++)
                {
                    BigInteger y = r.Next(4) == 0 ? P - 1 - r.Next(3) : RandomBelow255(r);
                    long[] g = FromBig(y);
                    switch (r.Next(5))
                    {
                        case 0: Call("Add", h, h, g); x = Mod(x + y); break;
                        case 1: Call("Sub", h, h, g); x = Mod(x - y); break;
                        case 2: Call("Neg", h, h); x = Mod(-x); break;
                        case 3: Call("Mul", h, h, g); x = Mod(x * y); break;
                        default: Call("Sq", h, h); x = Mod(x * x); break;
                    }
                    if (step % 25 == 0) Assert.Equal(x, ToBig(h));
                    // also a product of two results of subtraction and addition, the largest limbs the formulas make
                    Call("Sub", t, h, g);
                    Call("Add", g, h, g);
                    Call("Mul", t, t, g);
                    Assert.Equal(Mod((x - Mod(y)) * (x + Mod(y))), ToBig(t));
                }
                Assert.Equal(x, ToBig(h));
            }
        }

        [Fact]
        public void InvertsAndTakesTheRfcPower()
        {
            var r = new Random(3);
            for (int i = 0; i < 20; i++)
            {
                BigInteger x = i == 0 ? P - 1 : Mod(RandomBelow255(r));
                if (x.IsZero) continue;
                var o = new long[10];
                Call("Invert", o, FromBig(x));
                Assert.Equal(BigInteger.One, Mod(ToBig(o) * x));
                Call("Pow22523", o, FromBig(x));
                Assert.Equal(BigInteger.ModPow(x, (P - 5) / 8, P), ToBig(o));
            }
        }
    }
}
