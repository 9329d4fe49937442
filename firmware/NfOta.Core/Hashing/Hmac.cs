namespace NfOta.Hashing
{
    /// <summary>
    /// HMAC (RFC 2104), for the MQTT passwords some platforms derive from a device secret
    /// (Alibaba: hmacmd5/hmacsha1/hmacsha256, Tencent: HMAC-SHA1/HMAC-SHA256). Called once per
    /// connection, so it allocates freely.
    /// </summary>
    public static class Hmac
    {
        public static byte[] HmacMd5(byte[] key, byte[] data)
        {
            return Compute(new Md5(), key, data);
        }

        public static byte[] HmacSha1(byte[] key, byte[] data)
        {
            return Compute(new Sha1(), key, data);
        }

        public static byte[] HmacSha256(byte[] key, byte[] data)
        {
            return Compute(new Sha256(), key, data);
        }

        /// <summary>HMAC with any block hash of <see cref="HashFactory"/>; null for None or CRC-32.</summary>
        public static byte[] Compute(HashAlgorithmKind kind, byte[] key, byte[] data)
        {
            BlockHash hash = HashFactory.Create(kind) as BlockHash;
            return hash == null ? null : Compute(hash, key, data);
        }

        private static byte[] Compute(BlockHash hash, byte[] key, byte[] data)
        {
            if (key == null)
            {
                throw new System.ArgumentNullException("key");
            }

            if (data == null)
            {
                throw new System.ArgumentNullException("data");
            }

            int blockSize = hash.BlockSize;
            byte[] pad = new byte[blockSize];
            if (key.Length > blockSize)
            {
                // Keys longer than a block are hashed first.
                hash.Update(key, 0, key.Length);
                hash.Final(pad, 0);
            }
            else
            {
                System.Array.Copy(key, pad, key.Length);
            }

            for (int i = 0; i < blockSize; i++)
            {
                pad[i] ^= 0x36;
            }

            byte[] inner = new byte[hash.HashSize];
            hash.Update(pad, 0, blockSize);
            hash.Update(data, 0, data.Length);
            hash.Final(inner, 0);

            for (int i = 0; i < blockSize; i++)
            {
                pad[i] ^= 0x36 ^ 0x5c;
            }

            byte[] mac = new byte[hash.HashSize];
            hash.Update(pad, 0, blockSize);
            hash.Update(inner, 0, inner.Length);
            hash.Final(mac, 0);
            return mac;
        }
    }
}
