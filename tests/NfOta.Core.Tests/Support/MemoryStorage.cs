using System;
using System.Collections;
using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>Named records in RAM. Can tear the next write (half written, then a power cut).</summary>
    public sealed class MemoryStorage : IStorage
    {
        private readonly Hashtable _files = new Hashtable();
        public int WritesDone;
        public bool TearNextWrite;

        public int Read(string name, byte[] buffer)
        {
            byte[] data = (byte[])_files[name];
            if (data == null)
            {
                return -1;
            }

            int n = data.Length < buffer.Length ? data.Length : buffer.Length;
            Array.Copy(data, buffer, n);
            return n;
        }

        public bool Write(string name, byte[] data, int count)
        {
            byte[] copy = new byte[count];
            Array.Copy(data, copy, count);
            if (TearNextWrite)
            {
                TearNextWrite = false;
                for (int i = count / 2; i < count; i++)
                {
                    copy[i] = 0;
                }

                _files[name] = copy;
                throw new PowerCutException();
            }

            WritesDone++;
            _files[name] = copy;
            return true;
        }

        public bool Delete(string name)
        {
            bool had = _files.Contains(name);
            _files.Remove(name);
            return had;
        }
    }
}
