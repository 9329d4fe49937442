namespace NfOta.Hashing
{
    /// <summary>
    /// CRC-32 as zlib, PNG and Ethernet compute it (reflected polynomial 0xEDB88320, initial and
    /// final XOR 0xFFFFFFFF): "123456789" gives cbf43926. The digest is the CRC's four bytes,
    /// most significant first, so its hex reads like the number platforms print.
    /// </summary>
    public sealed class Crc32 : IIncrementalHash
    {
        private const int StateLength = 5;
        private static readonly uint[] Table = BuildTable();

        private uint _crc;

        public HashAlgorithmKind Kind
        {
            get { return HashAlgorithmKind.Crc32; }
        }

        public int HashSize
        {
            get { return 4; }
        }

        /// <summary>One byte of algorithm kind, then the running CRC (little-endian).</summary>
        public int StateSize
        {
            get { return StateLength; }
        }

        /// <summary>The CRC of everything updated since the last Reset or Final.</summary>
        public uint Value
        {
            get { return _crc; }
        }

        /// <summary>
        /// Continues a CRC over data with zlib's convention: start with 0, the result is the final
        /// CRC of everything so far and can be passed in again for the next piece.
        /// </summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            BufferCheck.Range(data, offset, count);
            uint[] table = Table;
            uint c = ~crc;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
            }

            return ~c;
        }

        public void Reset()
        {
            _crc = 0;
        }

        public void Update(byte[] data, int offset, int count)
        {
            _crc = Update(_crc, data, offset, count);
        }

        public void Final(byte[] output, int offset)
        {
            BufferCheck.Range(output, offset, 4);
            ByteOrder.WriteUInt32BE(_crc, output, offset);
            _crc = 0;
        }

        public void SaveState(byte[] buffer, int offset)
        {
            BufferCheck.Range(buffer, offset, StateLength);
            buffer[offset] = (byte)HashAlgorithmKind.Crc32;
            ByteOrder.WriteUInt32LE(_crc, buffer, offset + 1);
        }

        public void LoadState(byte[] buffer, int offset)
        {
            BufferCheck.Range(buffer, offset, StateLength);
            if (buffer[offset] != (byte)HashAlgorithmKind.Crc32)
            {
                throw new System.ArgumentException("saved state is not of this algorithm");
            }

            _crc = ByteOrder.ReadUInt32LE(buffer, offset + 1);
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
