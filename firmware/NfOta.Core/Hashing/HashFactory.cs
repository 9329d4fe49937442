namespace NfOta.Hashing
{
    /// <summary>Maps the algorithm names platforms send to hash instances, and back.</summary>
    public static class HashFactory
    {
        /// <summary>A fresh hash of the given kind, or null for None or an unknown kind.</summary>
        public static IIncrementalHash Create(HashAlgorithmKind kind)
        {
            switch (kind)
            {
                case HashAlgorithmKind.Md5:
                    return new Md5();
                case HashAlgorithmKind.Sha1:
                    return new Sha1();
                case HashAlgorithmKind.Sha256:
                    return new Sha256();
                case HashAlgorithmKind.Sha384:
                    return new Sha384();
                case HashAlgorithmKind.Sha512:
                    return new Sha512();
                case HashAlgorithmKind.Crc32:
                    return new Crc32();
                default:
                    return null;
            }
        }

        /// <summary>
        /// Reads an algorithm name in any letter case: MD5, SHA1/SHA-1, SHA256/SHA-256,
        /// SHA384/SHA-384, SHA512/SHA-512, CRC32/CRC-32. Anything else gives false and None.
        /// </summary>
        public static bool TryParseName(string name, out HashAlgorithmKind kind)
        {
            kind = HashAlgorithmKind.None;
            if (name == null)
            {
                return false;
            }

            if (Is(name, "MD5"))
            {
                kind = HashAlgorithmKind.Md5;
            }
            else if (Is(name, "SHA1") || Is(name, "SHA-1"))
            {
                kind = HashAlgorithmKind.Sha1;
            }
            else if (Is(name, "SHA256") || Is(name, "SHA-256"))
            {
                kind = HashAlgorithmKind.Sha256;
            }
            else if (Is(name, "SHA384") || Is(name, "SHA-384"))
            {
                kind = HashAlgorithmKind.Sha384;
            }
            else if (Is(name, "SHA512") || Is(name, "SHA-512"))
            {
                kind = HashAlgorithmKind.Sha512;
            }
            else if (Is(name, "CRC32") || Is(name, "CRC-32"))
            {
                kind = HashAlgorithmKind.Crc32;
            }

            return kind != HashAlgorithmKind.None;
        }

        /// <summary>The canonical name ("MD5", "SHA1", "SHA256", "SHA384", "SHA512", "CRC32"), or null for None.</summary>
        public static string Name(HashAlgorithmKind kind)
        {
            switch (kind)
            {
                case HashAlgorithmKind.Md5:
                    return "MD5";
                case HashAlgorithmKind.Sha1:
                    return "SHA1";
                case HashAlgorithmKind.Sha256:
                    return "SHA256";
                case HashAlgorithmKind.Sha384:
                    return "SHA384";
                case HashAlgorithmKind.Sha512:
                    return "SHA512";
                case HashAlgorithmKind.Crc32:
                    return "CRC32";
                default:
                    return null;
            }
        }

        // Compares against an upper-case ASCII name without allocating.
        private static bool Is(string text, string upper)
        {
            if (text.Length != upper.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 'a' && c <= 'z')
                {
                    c = (char)(c - 32);
                }

                if (c != upper[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
