namespace NfOta.Core.Tests.Security
{
    /// <summary>Byte helpers for the signature tests.</summary>
    internal static class SecurityTestBytes
    {
        // L = 2^252 + 27742317777372353535851937790883648493, little-endian
        private static readonly byte[] GroupOrder =
        {
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10
        };

        public static byte[] FromHex(string hex)
        {
            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[2 * i + 1]));
            }
            return bytes;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return c - 'A' + 10;
        }

        /// <summary>Adds L to the 32-byte little-endian scalar at s[offset]; false when the sum needs a 33rd byte.</summary>
        public static bool AddGroupOrder(byte[] s, int offset)
        {
            int carry = 0;
            for (int i = 0; i < 32; i++)
            {
                int sum = s[offset + i] + GroupOrder[i] + carry;
                s[offset + i] = (byte)sum;
                carry = sum >> 8;
            }
            return carry == 0;
        }

        public static bool SameBytes(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
