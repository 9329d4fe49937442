namespace NfOta.Hashing
{
    /// <summary>Hexadecimal text of digests: platforms send either letter case, we write lower case.</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string ToHex(byte[] data, int offset, int count)
        {
            BufferCheck.Range(data, offset, count);
            char[] chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                chars[2 * i] = Digits[b >> 4];
                chars[2 * i + 1] = Digits[b & 15];
            }

            return new string(chars);
        }

        /// <summary>
        /// True when hex spells exactly digest[offset .. offset + count), in either letter case.
        /// False for null, a wrong length or a non-hex character. Does not allocate.
        /// </summary>
        public static bool EqualsDigest(string hex, byte[] digest, int offset, int count)
        {
            BufferCheck.Range(digest, offset, count);
            if (hex == null || hex.Length != count * 2)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                int hi = Nibble(hex[2 * i]);
                int lo = Nibble(hex[2 * i + 1]);
                if (hi < 0 || lo < 0 || ((hi << 4) | lo) != digest[offset + i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Writes the hex.Length / 2 bytes spelled by hex to output[offset..]. False (and nothing
        /// written) for null, an odd length, a non-hex character or too little room.
        /// </summary>
        public static bool TryParse(string hex, byte[] output, int offset)
        {
            if (hex == null || output == null || (hex.Length & 1) != 0 || offset < 0
                || offset > output.Length - hex.Length / 2)
            {
                return false;
            }

            for (int i = 0; i < hex.Length; i++)
            {
                if (Nibble(hex[i]) < 0)
                {
                    return false;
                }
            }

            for (int i = 0; i < hex.Length; i += 2)
            {
                output[offset + i / 2] = (byte)((Nibble(hex[i]) << 4) | Nibble(hex[i + 1]));
            }

            return true;
        }

        /// <summary>The value of one hex digit, or -1.</summary>
        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }
    }
}
