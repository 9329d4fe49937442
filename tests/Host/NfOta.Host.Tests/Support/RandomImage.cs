using System;
using NfOta.Pc.Servers;

namespace NfOta.Host.Tests.Support
{
    /// <summary>Images of random bytes for the stand-in server tests, repeatable by their seed.</summary>
    public static class RandomImage
    {
        /// <summary><paramref name="size"/> random bytes (from <paramref name="seed"/>) of package "main" at <paramref name="version"/>.</summary>
        public static PackagedImage Of(int size, int seed, string version)
        {
            var bytes = new byte[size];
            new Random(seed).NextBytes(bytes);
            return new PackagedImage { Bytes = bytes, Version = version };
        }
    }
}
