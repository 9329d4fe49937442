using NfOta.Ports;

namespace NfOta.Download
{
    /// <summary>
    /// Streams an image into the inactive slot. It checks the declared size against the slot before
    /// anything is erased, erases each sector just ahead of the write position (so an interrupted
    /// download has destroyed as little as possible of what the slot held), reads every write back,
    /// and keeps the position from which a download resumes. It only ever holds the update slot the
    /// boot control hands out, never the running one.
    /// </summary>
    public sealed class SlotWriter
    {
        private const int VerifyBufferSize = 512;

        private readonly byte[] _verify = new byte[VerifyBufferSize];
        private IFlashSlot _slot;
        private long _size;
        private long _position;
        private long _erasedUpTo;

        /// <summary>Bytes written so far, from the start of the slot.</summary>
        public long Position { get { return _position; } }

        /// <summary>The declared image size.</summary>
        public long Size { get { return _size; } }

        /// <summary>True when the image fits the slot. Nothing is touched.</summary>
        public static bool Fits(IFlashSlot slot, long imageSize)
        {
            return slot != null && imageSize > 0 && imageSize <= slot.Size;
        }

        /// <summary>
        /// Prepares to write an image of <paramref name="imageSize"/> bytes from
        /// <paramref name="resumeOffset"/> on. A resume offset must be on a sector boundary: everything
        /// before it was written and checkpointed; everything from it on is erased again before use.
        /// Returns false, with nothing erased, when the image does not fit or the offset is not valid.
        /// </summary>
        public bool Begin(IFlashSlot slot, long imageSize, long resumeOffset)
        {
            _slot = null;
            if (!Fits(slot, imageSize) || resumeOffset < 0 || resumeOffset > imageSize
                || resumeOffset % slot.SectorSize != 0)
            {
                return false;
            }

            _slot = slot;
            _size = imageSize;
            _position = resumeOffset;
            _erasedUpTo = resumeOffset;
            return true;
        }

        /// <summary>
        /// Writes the next <paramref name="count"/> bytes at the current position and reads them back.
        /// Returns false on a flash error, a read-back mismatch or a write past the declared size.
        /// </summary>
        public bool Write(byte[] buffer, int offset, int count)
        {
            if (_slot == null || count < 0 || _position + count > _size)
            {
                return false;
            }

            if (count == 0)
            {
                return true;
            }

            long end = _position + count;
            while (_erasedUpTo < end)
            {
                int sector = _slot.SectorSize;
                if (!_slot.Erase(_erasedUpTo, sector))
                {
                    return false;
                }

                _erasedUpTo += sector;
            }

            if (!_slot.Write(_position, buffer, offset, count))
            {
                return false;
            }

            if (!ReadBack(buffer, offset, count))
            {
                return false;
            }

            _position = end;
            return true;
        }

        private bool ReadBack(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = count - done;
                if (n > VerifyBufferSize)
                {
                    n = VerifyBufferSize;
                }

                if (!_slot.Read(_position + done, _verify, 0, n))
                {
                    return false;
                }

                for (int i = 0; i < n; i++)
                {
                    if (_verify[i] != buffer[offset + done + i])
                    {
                        return false;
                    }
                }

                done += n;
            }

            return true;
        }
    }
}
