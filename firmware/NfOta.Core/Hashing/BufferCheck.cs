using System;

namespace NfOta.Hashing
{
    internal static class BufferCheck
    {
        /// <summary>Throws unless buffer[offset .. offset + count) lies inside the buffer.</summary>
        public static void Range(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("offset");
            }
        }
    }
}
