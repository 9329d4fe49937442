namespace NfOta.Hashing
{
    /// <summary>Reads and writes integers at a byte offset, in the byte order the caller names.</summary>
    internal static class ByteOrder
    {
        public static uint ReadUInt32BE(byte[] b, int o)
        {
            return ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];
        }

        public static void WriteUInt32BE(uint v, byte[] b, int o)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }

        public static uint ReadUInt32LE(byte[] b, int o)
        {
            return b[o] | ((uint)b[o + 1] << 8) | ((uint)b[o + 2] << 16) | ((uint)b[o + 3] << 24);
        }

        public static void WriteUInt32LE(uint v, byte[] b, int o)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        public static ulong ReadUInt64BE(byte[] b, int o)
        {
            return ((ulong)ReadUInt32BE(b, o) << 32) | ReadUInt32BE(b, o + 4);
        }

        public static void WriteUInt64BE(ulong v, byte[] b, int o)
        {
            WriteUInt32BE((uint)(v >> 32), b, o);
            WriteUInt32BE((uint)v, b, o + 4);
        }

        public static ulong ReadUInt64LE(byte[] b, int o)
        {
            return ReadUInt32LE(b, o) | ((ulong)ReadUInt32LE(b, o + 4) << 32);
        }

        public static void WriteUInt64LE(ulong v, byte[] b, int o)
        {
            WriteUInt32LE((uint)v, b, o);
            WriteUInt32LE((uint)(v >> 32), b, o + 4);
        }
    }
}
