using System;
using System.IO;
using NfOta.Ports;

namespace NfOta.Pc.Platform
{
    /// <summary>
    /// <see cref="IStorage"/> as one file per record in a directory. A write goes to a temporary file
    /// that is flushed to disk and then renamed over the record, so a crash leaves the old or the new
    /// record, never a torn one (the journal still keeps two copies, as on the device).
    /// </summary>
    public sealed class DirectoryStorage : IStorage
    {
        private const string TempSuffix = ".tmp";

        public DirectoryStorage(string directory)
        {
            Directory = Path.GetFullPath(directory);
            System.IO.Directory.CreateDirectory(Directory);
        }

        public string Directory { get; }

        public int Read(string name, byte[] buffer)
        {
            var path = PathOf(name);
            if (path == null)
            {
                return -1;
            }

            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (file.Length > buffer.Length)
                {
                    return -1;
                }

                var total = 0;
                while (total < file.Length)
                {
                    var n = file.Read(buffer, total, (int)file.Length - total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                return total;
            }
            catch (FileNotFoundException)
            {
                return -1;
            }
            catch (IOException)
            {
                return -1;
            }
            catch (UnauthorizedAccessException)
            {
                return -1;
            }
        }

        public bool Write(string name, byte[] data, int count)
        {
            var path = PathOf(name);
            if (path == null || count < 0 || count > data.Length)
            {
                return false;
            }

            var temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TempSuffix;
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    file.Write(data, 0, count);
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                TryDelete(temp);
                return false;
            }
        }

        /// <summary>Removes a record. Returns true when it existed.</summary>
        public bool Delete(string name)
        {
            var path = PathOf(name);
            if (path == null || !File.Exists(path))
            {
                return false;
            }

            return TryDelete(path);
        }

        // Record names are plain file names: no separators, no "..", nothing that escapes the directory.
        private string PathOf(string name)
        {
            if (string.IsNullOrEmpty(name) || name == "." || name == ".." || name.EndsWith(TempSuffix, StringComparison.Ordinal)
                || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0)
            {
                return null;
            }

            return Path.Combine(Directory, name);
        }

        private static bool TryDelete(string path)
        {
            try
            {
                File.Delete(path);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
