using System;
using System.IO;
using System.Security.Cryptography;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// A firmware image as a server offers it: its bytes, version, title and every digest a platform
    /// may ask for. Produced by <c>nf-ota pack</c> and by the demo.
    /// </summary>
    public sealed class PackagedImage
    {
        public string Title { get; init; } = "main";
        public string Version { get; init; } = "";
        public byte[] Bytes { get; init; } = Array.Empty<byte>();
        public long Size => Bytes.Length;
        public string Md5 => Hex(MD5.HashData(Bytes));
        public string Sha256 => Hex(SHA256.HashData(Bytes));
        public string Sha384 => Hex(SHA384.HashData(Bytes));
        public string Sha512 => Hex(SHA512.HashData(Bytes));
        public string Crc32 => Crc32Of(Bytes).ToString("x8");

        public static PackagedImage FromFile(string path, string version, string title) =>
            new PackagedImage { Bytes = File.ReadAllBytes(path), Version = version, Title = title };

        /// <summary>Lower-case hex of the named digest: md5, sha256, sha384, sha512 or crc32.</summary>
        public string Digest(string algorithm) => algorithm.ToLowerInvariant().Replace("-", "") switch
        {
            "md5" => Md5,
            "sha256" => Sha256,
            "sha384" => Sha384,
            "sha512" => Sha512,
            "crc32" => Crc32,
            _ => throw new ArgumentException($"unknown digest algorithm '{algorithm}'")
        };

        /// <summary>A copy with one byte flipped: the same size and version, a digest that no longer matches.</summary>
        public PackagedImage Corrupted()
        {
            var copy = (byte[])Bytes.Clone();
            copy[copy.Length / 2] ^= 0x5A;
            return new PackagedImage { Bytes = copy, Version = Version, Title = Title };
        }

        private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

        // CRC-32 (IEEE, zlib): the PC side's own reference, independent of the core's implementation.
        private static uint Crc32Of(byte[] data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                }
            }
            return ~crc;
        }
    }
}
