// nf-ota: IStorage on the board's internal file system (drive I: on ESP32, the littlefs "config" partition).
//
// Verified against nanoframework/System.IO.FileSystem at v1.1.93 (System.IO.FileSystem/):
// - FileStream.cs: public FileStream(string path, FileMode mode, FileAccess access); Length, Read(byte[], int,
//   int), Write(byte[], int, int), Flush(), Close() (Stream).
// - FileMode.cs: Create = 2 (truncates or creates), Open = 3.
// - File.cs: public static bool Exists(string path), public static void Delete(string path).
// - Directory.cs: public static bool Exists(string path), public static DirectoryInfo CreateDirectory(string path).
// nanoFramework does not mount I: by default on every board; nanoCLR for ESP32 mounts the littlefs
// config partition as I: (nf-interpreter targets/ESP32: CONFIG_NF_FEATURE_USE_LITTLEFS).

using System;
using System.IO;
using NfOta.Ports;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// Named records as files in one folder, such as I:\nf-ota\. A write replaces the file in place; the
    /// agent's journal keeps two checksummed copies, so a write torn by a power cut costs one copy only.
    /// </summary>
    public sealed class FileStorage : IStorage
    {
        private readonly string _folder;

        /// <param name="folder">Folder for the records, with or without a trailing backslash.</param>
        public FileStorage(string folder)
        {
            _folder = folder.EndsWith("\\") ? folder : folder + "\\";
        }

        public string Folder
        {
            get { return _folder; }
        }

        public int Read(string name, byte[] buffer)
        {
            string path = _folder + name;

            try
            {
                if (!File.Exists(path))
                {
                    return -1;
                }

                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    long length = stream.Length;
                    if (length > buffer.Length)
                    {
                        return -1;
                    }

                    int total = 0;
                    while (total < length)
                    {
                        int read = stream.Read(buffer, total, (int)length - total);
                        if (read <= 0)
                        {
                            break;
                        }

                        total += read;
                    }

                    return total;
                }
            }
            catch (Exception)
            {
                return -1;
            }
        }

        public bool Write(string name, byte[] data, int count)
        {
            try
            {
                EnsureFolder();

                using (FileStream stream = new FileStream(_folder + name, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(data, 0, count);
                    stream.Flush();
                }

                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Delete(string name)
        {
            string path = _folder + name;

            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void EnsureFolder()
        {
            string folder = _folder.Substring(0, _folder.Length - 1);
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
    }
}
