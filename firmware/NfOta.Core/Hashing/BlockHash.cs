using System;

namespace NfOta.Hashing
{
    /// <summary>
    /// The Merkle-Damgard frame shared by MD5 and the SHA family: buffers input into blocks, counts
    /// the bytes, pads at the end and saves/restores all of it. A subclass supplies only its chaining
    /// values and its compression function. Update never allocates: the block buffer and any message
    /// schedule are allocated in the constructor.
    /// </summary>
    /// <remarks>
    /// Saved state layout (<see cref="StateSize"/> bytes): [0] the algorithm kind, [1..8] the byte
    /// count (little-endian), then one block of buffered input (only the first count % BlockSize bytes
    /// matter), then the chaining values.
    /// </remarks>
    public abstract class BlockHash : IIncrementalHash
    {
        private const int HeaderSize = 9;

        private readonly HashAlgorithmKind _kind;
        private readonly int _hashSize;
        private readonly int _blockSize;
        private readonly int _lengthFieldSize;
        private readonly bool _lengthBigEndian;
        private readonly int _chainSize;
        private readonly byte[] _block;
        private ulong _length;

        /// <param name="blockSize">64 or 128 (a power of two).</param>
        /// <param name="lengthFieldSize">8 or 16: bytes of the bit count appended when padding.</param>
        /// <param name="chainSize">bytes written by SaveChain.</param>
        protected BlockHash(HashAlgorithmKind kind, int hashSize, int blockSize, int lengthFieldSize, bool lengthBigEndian, int chainSize)
        {
            _kind = kind;
            _hashSize = hashSize;
            _blockSize = blockSize;
            _lengthFieldSize = lengthFieldSize;
            _lengthBigEndian = lengthBigEndian;
            _chainSize = chainSize;
            _block = new byte[blockSize];
        }

        public HashAlgorithmKind Kind
        {
            get { return _kind; }
        }

        public int HashSize
        {
            get { return _hashSize; }
        }

        /// <summary>Input block size in bytes (also the HMAC block size).</summary>
        public int BlockSize
        {
            get { return _blockSize; }
        }

        public int StateSize
        {
            get { return HeaderSize + _blockSize + _chainSize; }
        }

        public void Reset()
        {
            _length = 0;
            InitChain();
        }

        public void Update(byte[] data, int offset, int count)
        {
            BufferCheck.Range(data, offset, count);
            if (count == 0)
            {
                return;
            }

            int size = _blockSize;
            int buffered = (int)_length & (size - 1);
            _length += (ulong)count;

            if (buffered > 0)
            {
                int take = size - buffered;
                if (take > count)
                {
                    take = count;
                }

                Array.Copy(data, offset, _block, buffered, take);
                offset += take;
                count -= take;
                if (buffered + take < size)
                {
                    return;
                }

                Compress(_block, 0);
            }

            // Whole blocks are compressed straight from the caller's buffer.
            while (count >= size)
            {
                Compress(data, offset);
                offset += size;
                count -= size;
            }

            if (count > 0)
            {
                Array.Copy(data, offset, _block, 0, count);
            }
        }

        public void Final(byte[] output, int offset)
        {
            BufferCheck.Range(output, offset, _hashSize);

            int size = _blockSize;
            int buffered = (int)_length & (size - 1);
            byte[] block = _block;
            block[buffered++] = 0x80;
            if (buffered > size - _lengthFieldSize)
            {
                Array.Clear(block, buffered, size - buffered);
                Compress(block, 0);
                buffered = 0;
            }

            Array.Clear(block, buffered, size - buffered);
            ulong lowBits = _length << 3;
            if (_lengthBigEndian)
            {
                // A 128-bit length field (SHA-384/512) carries the count's top three bits in its high half.
                if (_lengthFieldSize == 16)
                {
                    ByteOrder.WriteUInt64BE(_length >> 61, block, size - 16);
                }

                ByteOrder.WriteUInt64BE(lowBits, block, size - 8);
            }
            else
            {
                ByteOrder.WriteUInt64LE(lowBits, block, size - 8);
            }

            Compress(block, 0);
            WriteDigest(output, offset);
            Reset();
        }

        public void SaveState(byte[] buffer, int offset)
        {
            BufferCheck.Range(buffer, offset, StateSize);
            buffer[offset] = (byte)_kind;
            ByteOrder.WriteUInt64LE(_length, buffer, offset + 1);
            Array.Copy(_block, 0, buffer, offset + HeaderSize, _blockSize);
            SaveChain(buffer, offset + HeaderSize + _blockSize);
        }

        public void LoadState(byte[] buffer, int offset)
        {
            BufferCheck.Range(buffer, offset, StateSize);
            if (buffer[offset] != (byte)_kind)
            {
                throw new ArgumentException("saved state is not of this algorithm");
            }

            _length = ByteOrder.ReadUInt64LE(buffer, offset + 1);
            Array.Copy(buffer, offset + HeaderSize, _block, 0, _blockSize);
            LoadChain(buffer, offset + HeaderSize + _blockSize);
        }

        /// <summary>Sets the chaining values to the algorithm's initial values.</summary>
        protected abstract void InitChain();

        /// <summary>Processes one block of <see cref="BlockSize"/> bytes at data[offset].</summary>
        protected abstract void Compress(byte[] data, int offset);

        /// <summary>Writes <see cref="HashSize"/> digest bytes from the chaining values.</summary>
        protected abstract void WriteDigest(byte[] output, int offset);

        protected abstract void SaveChain(byte[] buffer, int offset);

        protected abstract void LoadChain(byte[] buffer, int offset);
    }
}
