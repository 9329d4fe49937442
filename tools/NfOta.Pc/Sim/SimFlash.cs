using System;
using System.Collections.Generic;
using System.IO;

namespace NfOta.Pc.Sim
{
    /// <summary>
    /// Thrown by <see cref="SimFlash"/> when the operation numbered <see cref="SimFlash.CutAt"/> runs:
    /// that operation was applied partially and the device is now off.
    /// </summary>
    public sealed class PowerCutException : Exception
    {
        public long Operation { get; }

        public PowerCutException(long operation)
            : base("power cut during flash operation " + operation)
        {
            Operation = operation;
        }
    }

    /// <summary>
    /// A whole SPI NOR flash chip (4 MB by default) kept in one file, so its content survives the
    /// process like a real chip survives a reset. NOR rules: an erase sets 4 KB-aligned sectors to 0xFF,
    /// a write can only clear bits. A write that would set a bit is stored the way the chip stores it
    /// (old AND new), counted in <see cref="Violations"/>, logged, and answered with false.
    /// <para>
    /// Power-cut hook: every sector erase and every write call is one numbered operation (1, 2, ...;
    /// see <see cref="Operations"/>). When the operation numbered <see cref="CutAt"/> runs it is applied
    /// only in part (a write stores its first half; an erase sets the first half of the sector to 0xFF
    /// and leaves the rest as it was), then <see cref="PowerCutException"/> is thrown and every further
    /// operation throws too until <see cref="PowerOn"/>.
    /// </para>
    /// </summary>
    public sealed class SimFlash : IDisposable
    {
        public const int SectorSize = 4096;
        public const long DefaultSize = 4 * 1024 * 1024;
        public const string DefaultFileName = "flash.bin";

        private readonly byte[] _data;
        private readonly FileStream _file;
        private readonly List<string> _violationLog = new List<string>();
        private readonly object _gate = new object();
        private bool _off;

        /// <summary>
        /// Opens the flash file in directory, creating an erased chip (all 0xFF) of the given size
        /// when there is none. An existing file must have exactly that size.
        /// </summary>
        public SimFlash(string directory, long size = DefaultSize, string fileName = DefaultFileName)
        {
            if (size <= 0 || size % SectorSize != 0)
                throw new ArgumentException("flash size must be a positive multiple of " + SectorSize, nameof(size));
            Directory.CreateDirectory(directory);
            Path = System.IO.Path.Combine(directory, fileName);
            Size = size;
            _data = new byte[size];
            bool exists = File.Exists(Path);
            _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (exists && _file.Length > 0)
            {
                if (_file.Length != size)
                {
                    long found = _file.Length;
                    _file.Dispose();
                    throw new InvalidDataException($"{Path} holds {found} bytes, expected a {size}-byte flash");
                }
                _file.ReadExactly(_data, 0, _data.Length);
            }
            else
            {
                Array.Fill(_data, (byte)0xFF);
                _file.SetLength(0);
                _file.Write(_data, 0, _data.Length);
                _file.Flush(true);
            }
        }

        /// <summary>The file holding the chip's content.</summary>
        public string Path { get; }

        public long Size { get; }

        /// <summary>When true (the default) every operation is written to the file as it happens; otherwise call <see cref="Flush"/>.</summary>
        public bool WriteThrough { get; set; } = true;

        /// <summary>Number of operations (sector erases and write calls) started since creation or <see cref="ResetOperations"/>.</summary>
        public long Operations { get; private set; }

        /// <summary>The operation number at which power is cut, or null for none.</summary>
        public long? CutAt { get; set; }

        /// <summary>True after a power cut until <see cref="PowerOn"/>.</summary>
        public bool IsOff => _off;

        /// <summary>Rule violations: writes that tried to turn a 0 bit into a 1 (the chip keeps the 0), misaligned erases, ranges outside the chip.</summary>
        public int Violations { get; private set; }

        public IReadOnlyList<string> ViolationLog => _violationLog;

        /// <summary>Where violations are printed; null for silence. Standard error by default.</summary>
        public TextWriter Log { get; set; } = Console.Error;

        /// <summary>Restarts numbering at 1; used by a harness before the run it wants to cut.</summary>
        public void ResetOperations() => Operations = 0;

        /// <summary>Ends a power cut: clears <see cref="CutAt"/> and accepts operations again.</summary>
        public void PowerOn()
        {
            _off = false;
            CutAt = null;
        }

        /// <summary>Erases [address, address + length); both must be multiples of <see cref="SectorSize"/>. One operation per sector.</summary>
        public bool Erase(long address, long length)
        {
            lock (_gate)
            {
                if (address < 0 || length < 0 || address % SectorSize != 0 || length % SectorSize != 0 || address + length > Size)
                {
                    Report($"erase 0x{address:x}+0x{length:x} is not sector-aligned or outside the flash");
                    return false;
                }
                for (long sector = address; sector < address + length; sector += SectorSize)
                {
                    long op = BeginOperation();
                    if (op == CutAt)
                    {
                        Array.Fill(_data, (byte)0xFF, (int)sector, SectorSize / 2);
                        Persist(sector, SectorSize / 2);
                        Cut(op);
                    }
                    Array.Fill(_data, (byte)0xFF, (int)sector, SectorSize);
                    Persist(sector, SectorSize);
                }
                return true;
            }
        }

        /// <summary>Programs count bytes at address. One operation. False on a bit that cannot be set or a range outside the flash.</summary>
        public bool Write(long address, byte[] buffer, int index, int count)
        {
            lock (_gate)
            {
                if (buffer == null || index < 0 || count < 0 || index + count > buffer.Length || address < 0 || address + count > Size)
                {
                    Report($"write 0x{address:x}+0x{count:x} is outside the flash or the buffer");
                    return false;
                }
                long op = BeginOperation();
                int applied = op == CutAt ? count / 2 : count;
                int firstBad = -1;
                for (int i = 0; i < applied; i++)
                {
                    byte old = _data[address + i];
                    byte wanted = buffer[index + i];
                    if ((old & wanted) != wanted && firstBad < 0)
                        firstBad = i;
                    _data[address + i] = (byte)(old & wanted);
                }
                Persist(address, applied);
                if (op == CutAt)
                    Cut(op);
                if (firstBad >= 0)
                {
                    Report($"write 0x{address:x}+0x{count:x} sets a 0 bit to 1 at 0x{address + firstBad:x} (not erased); the chip keeps the 0");
                    return false;
                }
                return true;
            }
        }

        public bool Read(long address, byte[] buffer, int index, int count)
        {
            lock (_gate)
            {
                if (buffer == null || index < 0 || count < 0 || index + count > buffer.Length || address < 0 || address + count > Size)
                    return false;
                Buffer.BlockCopy(_data, (int)address, buffer, index, count);
                return true;
            }
        }

        public byte[] Read(long address, int count)
        {
            var result = new byte[count];
            if (!Read(address, result, 0, count))
                throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x}+0x{count:x} is outside the flash");
            return result;
        }

        /// <summary>True when every byte of the range is 0xFF.</summary>
        public bool IsErased(long address, int count)
        {
            lock (_gate)
            {
                for (long i = address; i < address + count; i++)
                    if (_data[i] != 0xFF) return false;
                return true;
            }
        }

        /// <summary>Writes the whole content to the file (needed only when <see cref="WriteThrough"/> is off).</summary>
        public void Flush()
        {
            lock (_gate)
            {
                _file.Position = 0;
                _file.Write(_data, 0, _data.Length);
                _file.Flush(true);
            }
        }

        /// <summary>A copy of the whole chip, for a harness that restores a known state between runs.</summary>
        public byte[] Snapshot()
        {
            lock (_gate) return (byte[])_data.Clone();
        }

        /// <summary>Replaces the whole chip content (like reflashing it with a programmer); not counted as an operation.</summary>
        public void Restore(byte[] image)
        {
            if (image == null || image.Length != Size)
                throw new ArgumentException("image must be exactly the flash size", nameof(image));
            lock (_gate)
            {
                Buffer.BlockCopy(image, 0, _data, 0, _data.Length);
                Flush();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!WriteThrough) Flush();
                _file.Dispose();
            }
        }

        private long BeginOperation()
        {
            if (_off)
                throw new PowerCutException(Operations);
            return ++Operations;
        }

        private void Cut(long op)
        {
            _off = true;
            _file.Flush(true);
            throw new PowerCutException(op);
        }

        private void Persist(long address, int count)
        {
            if (!WriteThrough || count == 0) return;
            _file.Position = address;
            _file.Write(_data, (int)address, count);
            _file.Flush();
        }

        private void Report(string message)
        {
            Violations++;
            _violationLog.Add(message);
            Log?.WriteLine("SimFlash: " + message);
        }
    }
}
