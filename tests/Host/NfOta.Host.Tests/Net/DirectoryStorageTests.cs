using System;
using System.IO;
using System.Linq;
using NfOta.Pc.Platform;
using Xunit;

namespace NfOta.Host.Tests.Net
{
    public class DirectoryStorageTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nf-ota-storage-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        [Fact]
        public void WriteReadReplaceDelete()
        {
            var storage = new DirectoryStorage(_dir);
            var buffer = new byte[64];
            Assert.Equal(-1, storage.Read("journal0", buffer));

            Assert.True(storage.Write("journal0", new byte[] { 1, 2, 3, 4, 5, 99 }, 5));
            Assert.Equal(5, storage.Read("journal0", buffer));
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buffer.Take(5).ToArray());

            Assert.True(storage.Write("journal0", new byte[] { 7, 8 }, 2));
            Assert.Equal(2, storage.Read("journal0", buffer));
            Assert.Equal(new byte[] { 7, 8 }, buffer.Take(2).ToArray());

            // Survives a new instance (a reboot), and leaves no temporary files behind.
            var again = new DirectoryStorage(_dir);
            Assert.Equal(2, again.Read("journal0", buffer));
            Assert.Equal(new[] { "journal0" }, Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray());

            Assert.True(again.Delete("journal0"));
            Assert.False(again.Delete("journal0"));
            Assert.Equal(-1, again.Read("journal0", buffer));
        }

        [Fact]
        public void RecordTooBigForBufferIsMinusOne()
        {
            var storage = new DirectoryStorage(_dir);
            Assert.True(storage.Write("settings", new byte[100], 100));
            Assert.Equal(-1, storage.Read("settings", new byte[99]));
            Assert.Equal(100, storage.Read("settings", new byte[100]));
        }

        [Fact]
        public void NamesCannotEscapeTheDirectory()
        {
            var storage = new DirectoryStorage(_dir);
            Assert.False(storage.Write("../evil", new byte[1], 1));
            Assert.False(storage.Write("a/b", new byte[1], 1));
            Assert.False(storage.Write("", new byte[1], 1));
            Assert.Equal(-1, storage.Read("..", new byte[8]));
        }

        [Fact]
        public void SystemClockIsMonotonicAndSleeps()
        {
            var clock = new SystemClock();
            var start = clock.UptimeMs;
            clock.Sleep(30);
            Assert.True(clock.UptimeMs - start >= 29);
        }
    }
}
