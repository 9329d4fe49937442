using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using NfOta.Security;
using NfOta.Versioning;
using NSec.Cryptography;

namespace NfOta.Pc.Signing
{
    /// <summary>
    /// The PC half of signed updates: makes Ed25519 keys and appends the NFOTASIG trailer that
    /// <see cref="SignedImageVerifier"/> checks on the device (layout in docs/security.md).
    /// The private key file holds the 32-byte Ed25519 seed in base64 on one line; the public key is
    /// printed in the same base64 form the settings' security.signingPublicKey takes.
    /// </summary>
    public static class ImageSigner
    {
        public const int SeedSize = 32;

        /// <summary>A new random seed and its public key, both base64.</summary>
        public static (string PrivateKeyBase64, string PublicKeyBase64) CreateKey()
        {
            var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
            using var key = Key.Create(SignatureAlgorithm.Ed25519, parameters);
            byte[] seed = key.Export(KeyBlobFormat.RawPrivateKey);
            byte[] publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            return (Convert.ToBase64String(seed), Convert.ToBase64String(publicKey));
        }

        /// <summary>
        /// Writes a new private key file (readable by its owner only where the OS allows) and returns
        /// the public key in base64. Refuses to overwrite an existing file: losing a signing key
        /// locks out every device that trusts it.
        /// </summary>
        public static string KeyGen(string privateKeyPath)
        {
            if (File.Exists(privateKeyPath))
            {
                throw new IOException($"'{privateKeyPath}' exists; not overwriting a signing key");
            }
            var (privateKey, publicKey) = CreateKey();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(new FileStream(privateKeyPath, options), new UTF8Encoding(false)))
            {
                writer.WriteLine(privateKey);
            }
            return publicKey;
        }

        /// <summary>Reads a private key file written by <see cref="KeyGen"/>: the 32-byte seed.</summary>
        public static byte[] LoadPrivateKey(string path)
        {
            string text = File.ReadAllText(path).Trim();
            byte[] seed;
            try
            {
                seed = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"'{path}' is not a base64 Ed25519 private key");
            }
            if (seed.Length != SeedSize)
            {
                throw new InvalidDataException($"'{path}' holds {seed.Length} bytes; an Ed25519 private key (seed) is {SeedSize}");
            }
            return seed;
        }

        /// <summary>The base64 public key of a seed, for the settings' security.signingPublicKey.</summary>
        public static string PublicKeyOf(byte[] seed)
        {
            using var key = ImportSeed(seed);
            return Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }

        /// <summary>
        /// The image followed by its trailer: magic, format, algorithm, sizes, SHA-256 of the image,
        /// <paramref name="version"/> (the version the platform will offer; the device refuses the image
        /// under any other) and <paramref name="secureVersion"/> (ESP-IDF's anti-rollback counter),
        /// signed with Ed25519.
        /// </summary>
        public static byte[] Sign(byte[] image, string version, uint secureVersion, byte[] privateKeySeed)
        {
            ArgumentNullException.ThrowIfNull(image);
            if (image.Length == 0) throw new ArgumentException("the image is empty", nameof(image));
            if (!VersionComparer.IsValid(version))
            {
                throw new ArgumentException($"'{version}' is not a valid version (1..{VersionComparer.MaxLength} of letters, digits, '.', '-', '+', '_')", nameof(version));
            }
            if (IsSigned(image))
            {
                throw new ArgumentException("the image already ends with an NFOTASIG trailer", nameof(image));
            }

            const int T = SignedImageVerifier.TrailerSize;
            var trailer = new byte[T];
            SignedImageVerifier.Magic.CopyTo(trailer, 0);
            trailer[SignedImageVerifier.FormatVersionOffset] = SignedImageVerifier.FormatVersion;
            trailer[SignedImageVerifier.AlgorithmOffset] = SignedImageVerifier.AlgorithmEd25519;
            BinaryPrimitives.WriteUInt16LittleEndian(trailer.AsSpan(SignedImageVerifier.TrailerSizeOffset), (ushort)T);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(SignedImageVerifier.SecureVersionOffset), secureVersion);
            BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(SignedImageVerifier.ImageSizeOffset), image.LongLength);
            SHA256.HashData(image).CopyTo(trailer, SignedImageVerifier.DigestOffset);
            byte[] versionBytes = Encoding.ASCII.GetBytes(version);
            trailer[SignedImageVerifier.VersionLengthOffset] = (byte)versionBytes.Length;
            versionBytes.CopyTo(trailer, SignedImageVerifier.VersionOffset);

            using (var key = ImportSeed(privateKeySeed))
            {
                byte[] signature = SignatureAlgorithm.Ed25519.Sign(key, trailer.AsSpan(0, SignedImageVerifier.SignedPartSize));
                signature.CopyTo(trailer, SignedImageVerifier.SignatureOffset);
            }

            var signed = new byte[image.Length + T];
            image.CopyTo(signed, 0);
            trailer.CopyTo(signed, image.Length);
            return signed;
        }

        /// <summary>True when the bytes end with something that starts like a trailer (magic and size of the file match).</summary>
        public static bool IsSigned(byte[] file)
        {
            const int T = SignedImageVerifier.TrailerSize;
            if (file == null || file.Length < T) return false;
            var trailer = file.AsSpan(file.Length - T);
            return trailer[..8].SequenceEqual(SignedImageVerifier.Magic)
                && BinaryPrimitives.ReadInt64LittleEndian(trailer[SignedImageVerifier.ImageSizeOffset..]) == file.Length - T;
        }

        private static Key ImportSeed(byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(seed);
            if (seed.Length != SeedSize) throw new ArgumentException($"an Ed25519 private key (seed) is {SeedSize} bytes", nameof(seed));
            return Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        }
    }
}
