using System;
using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// A flash slot in RAM with NOR rules: erase sets a sector to 0xFF, a write can only clear bits.
    /// Counts erases and writes so tests can prove what was (not) touched.
    /// </summary>
    public sealed class RamFlashSlot : IFlashSlot
    {
        private readonly byte[] _data;
        private readonly int _sector;

        public int Erases;
        public int Writes;
        public int Violations;
        /// <summary>When >= 0, the write that would make Writes exceed this throws a PowerCut.</summary>
        public int CutAtWrite = -1;

        public RamFlashSlot(string label, int size, int sectorSize)
        {
            Label = label;
            _data = new byte[size];
            _sector = sectorSize;
            for (int i = 0; i < size; i++)
            {
                _data[i] = 0xFF;
            }
        }

        public string Label { get; private set; }

        public long Size { get { return _data.Length; } }

        public int SectorSize { get { return _sector; } }

        public byte[] Data { get { return _data; } }

        public bool Erase(long offset, int length)
        {
            if (offset < 0 || length <= 0 || offset % _sector != 0 || length % _sector != 0 || offset + length > _data.Length)
            {
                return false;
            }

            Erases++;
            for (long i = offset; i < offset + length; i++)
            {
                _data[i] = 0xFF;
            }

            return true;
        }

        public bool Write(long offset, byte[] buffer, int index, int count)
        {
            if (offset < 0 || count < 0 || offset + count > _data.Length)
            {
                return false;
            }

            if (CutAtWrite >= 0 && Writes >= CutAtWrite)
            {
                CutAtWrite = -1;
                // Half the bytes reach the flash, then the power goes.
                for (int i = 0; i < count / 2; i++)
                {
                    _data[offset + i] &= buffer[index + i];
                }

                throw new PowerCutException();
            }

            Writes++;
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[index + i];
                if ((_data[offset + i] & b) != b)
                {
                    Violations++;
                    return false;
                }
            }

            for (int i = 0; i < count; i++)
            {
                _data[offset + i] &= buffer[index + i];
            }

            return true;
        }

        public bool Read(long offset, byte[] buffer, int index, int count)
        {
            if (offset < 0 || count < 0 || offset + count > _data.Length)
            {
                return false;
            }

            Array.Copy(_data, (int)offset, buffer, index, count);
            return true;
        }
    }

    /// <summary>Thrown by a test port to stand for the power going off in the middle of an operation.</summary>
    public sealed class PowerCutException : Exception
    {
        public PowerCutException() : base("power cut")
        {
        }
    }
}
