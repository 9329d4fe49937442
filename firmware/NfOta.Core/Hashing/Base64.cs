namespace NfOta.Hashing
{
    /// <summary>
    /// Base64 (RFC 4648, standard alphabet) of our own, so the core does not depend on which
    /// Convert methods a firmware image carries. Decoding skips whitespace (CR, LF, tab, space),
    /// accepts missing padding and rejects everything else that is not base64.
    /// </summary>
    public static class Base64
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        public static string Encode(byte[] data, int offset, int count)
        {
            BufferCheck.Range(data, offset, count);
            char[] chars = new char[(count + 2) / 3 * 4];
            int o = 0;
            int end = offset + count;
            int i = offset;
            for (; i + 2 < end; i += 3)
            {
                int v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
                chars[o++] = Alphabet[v >> 18];
                chars[o++] = Alphabet[(v >> 12) & 63];
                chars[o++] = Alphabet[(v >> 6) & 63];
                chars[o++] = Alphabet[v & 63];
            }

            int rest = end - i;
            if (rest > 0)
            {
                int v = data[i] << 16;
                if (rest == 2)
                {
                    v |= data[i + 1] << 8;
                }

                chars[o++] = Alphabet[v >> 18];
                chars[o++] = Alphabet[(v >> 12) & 63];
                chars[o++] = rest == 2 ? Alphabet[(v >> 6) & 63] : '=';
                chars[o] = '=';
            }

            return new string(chars);
        }

        /// <summary>The bytes text encodes, or null if it is null or not valid base64.</summary>
        public static byte[] Decode(string text)
        {
            int length = Run(text, null, 0);
            if (length < 0)
            {
                return null;
            }

            byte[] result = new byte[length];
            Run(text, result, 0);
            return result;
        }

        /// <summary>
        /// Decodes into output[offset..] without allocating; returns the byte count, or -1 when text
        /// is not valid base64 or output has too little room (nothing is written then).
        /// </summary>
        public static int Decode(string text, byte[] output, int offset)
        {
            if (output == null || offset < 0 || offset > output.Length)
            {
                return -1;
            }

            int length = Run(text, null, 0);
            if (length < 0 || length > output.Length - offset)
            {
                return -1;
            }

            return Run(text, output, offset);
        }

        // Validates text and returns its decoded length; also writes the bytes when output is not null.
        private static int Run(string text, byte[] output, int offset)
        {
            if (text == null)
            {
                return -1;
            }

            int symbols = 0;
            int padding = 0;
            int bits = 0;
            int o = offset;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == ' ' || c == '\r' || c == '\n' || c == '\t')
                {
                    continue;
                }

                if (c == '=')
                {
                    padding++;
                    continue;
                }

                int v = Value(c);
                if (v < 0 || padding > 0)
                {
                    // Not base64, or data after padding.
                    return -1;
                }

                bits = (bits << 6) | v;
                if ((symbols & 3) == 3)
                {
                    if (output != null)
                    {
                        output[o] = (byte)(bits >> 16);
                        output[o + 1] = (byte)(bits >> 8);
                        output[o + 2] = (byte)bits;
                    }

                    o += 3;
                    bits = 0;
                }

                symbols++;
            }

            int tail = symbols & 3;
            if (tail == 1 || padding > 2 || (padding > 0 && ((symbols + padding) & 3) != 0))
            {
                return -1;
            }

            if (tail == 2)
            {
                if (output != null)
                {
                    output[o] = (byte)(bits >> 4);
                }

                o += 1;
            }
            else if (tail == 3)
            {
                if (output != null)
                {
                    output[o] = (byte)(bits >> 10);
                    output[o + 1] = (byte)(bits >> 2);
                }

                o += 2;
            }

            return o - offset;
        }

        private static int Value(char c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            if (c == '+')
            {
                return 62;
            }

            if (c == '/')
            {
                return 63;
            }

            return -1;
        }
    }
}
