using System;
using System.IO;
using NfOta.Pc.Sim;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    public class SimFlashTests
    {
        private static SimFlash Open(SimTempDir dir, long size = 64 * 1024)
        {
            var flash = new SimFlash(dir.Path, size);
            flash.Log = null;
            return flash;
        }

        [Fact]
        public void NewChipIsErasedAndTheFileHasItsSize()
        {
            using var dir = new SimTempDir();
            using var flash = new SimFlash(dir.Path);
            Assert.Equal(4 * 1024 * 1024, flash.Size);
            Assert.True(flash.IsErased(0, (int)flash.Size));
            Assert.Equal(flash.Size, new FileInfo(flash.Path).Length);
        }

        [Fact]
        public void WriteClearsBitsAndMayWriteAgainOverOnes()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            Assert.True(flash.Write(100, new byte[] { 0xF0, 0x0F }, 0, 2));
            // Clearing more bits of an already written byte is allowed by NOR flash.
            Assert.True(flash.Write(100, new byte[] { 0x30, 0x01 }, 0, 2));
            Assert.Equal(new byte[] { 0x30, 0x01 }, flash.Read(100, 2));
            Assert.Equal(0, flash.Violations);
        }

        [Fact]
        public void WritingAOneOverAZeroIsAViolationAndTheChipKeepsTheZero()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            Assert.True(flash.Write(10, new byte[] { 0x00 }, 0, 1));
            Assert.False(flash.Write(8, new byte[] { 0xAA, 0xAA, 0xFF, 0xAA }, 0, 4));
            Assert.Equal(1, flash.Violations);
            Assert.Contains("0xa", flash.ViolationLog[0]);
            Assert.Equal(new byte[] { 0xAA, 0xAA, 0x00, 0xAA }, flash.Read(8, 4));
        }

        [Fact]
        public void EraseSetsWholeSectorsToFF()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            var zeros = new byte[3 * SimFlash.SectorSize];
            Assert.True(flash.Write(0, zeros, 0, zeros.Length));
            Assert.True(flash.Erase(SimFlash.SectorSize, SimFlash.SectorSize));
            Assert.True(flash.IsErased(SimFlash.SectorSize, SimFlash.SectorSize));
            Assert.Equal(0, flash.Read(SimFlash.SectorSize - 1, 1)[0]);
            Assert.Equal(0, flash.Read(2 * SimFlash.SectorSize, 1)[0]);
            // After the erase the sector takes any data again.
            Assert.True(flash.Write(SimFlash.SectorSize, new byte[] { 0x5A }, 0, 1));
            Assert.Equal(0, flash.Violations);
        }

        [Fact]
        public void MisalignedOrOutOfRangeOperationsAreRefused()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            Assert.False(flash.Erase(100, SimFlash.SectorSize));
            Assert.False(flash.Erase(0, 100));
            Assert.False(flash.Erase(flash.Size, SimFlash.SectorSize));
            Assert.False(flash.Write(flash.Size - 1, new byte[2], 0, 2));
            Assert.False(flash.Read(flash.Size - 1, new byte[2], 0, 2));
            Assert.Equal(4, flash.Violations);
            Assert.Equal(0, flash.Operations);
        }

        [Fact]
        public void ContentSurvivesANewInstance()
        {
            using var dir = new SimTempDir();
            using (var flash = Open(dir))
            {
                flash.Write(5000, new byte[] { 1, 2, 3 }, 0, 3);
                flash.Erase(0, SimFlash.SectorSize);
            }
            using (var again = Open(dir))
                Assert.Equal(new byte[] { 1, 2, 3 }, again.Read(5000, 3));
        }

        [Fact]
        public void WithoutWriteThroughTheFileChangesOnFlush()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            flash.WriteThrough = false;
            flash.Write(0, new byte[] { 0x12 }, 0, 1);
            Assert.Equal(0xFF, ReadFileByte(flash.Path, 0));
            flash.Flush();
            Assert.Equal(0x12, ReadFileByte(flash.Path, 0));
        }

        [Fact]
        public void AFileOfAnotherSizeIsRejected()
        {
            using var dir = new SimTempDir();
            using (Open(dir, 64 * 1024)) { }
            Assert.Throws<InvalidDataException>(() => new SimFlash(dir.Path, 128 * 1024));
        }

        [Fact]
        public void EachSectorEraseAndEachWriteIsOneOperation()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            flash.Erase(0, 3 * SimFlash.SectorSize);
            flash.Write(0, new byte[10], 0, 10);
            flash.Read(0, 10);
            Assert.Equal(4, flash.Operations);
            flash.ResetOperations();
            Assert.Equal(0, flash.Operations);
        }

        [Fact]
        public void PowerCutDuringAWriteStoresHalfAndStopsTheChip()
        {
            using var dir = new SimTempDir();
            using (var flash = Open(dir))
            {
                flash.CutAt = 2;
                var data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
                Assert.True(flash.Write(0, data, 0, 8));
                var cut = Assert.Throws<PowerCutException>(() => flash.Write(100, data, 0, 8));
                Assert.Equal(2, cut.Operation);
                Assert.True(flash.IsOff);
                Assert.Throws<PowerCutException>(() => flash.Erase(0, SimFlash.SectorSize));
                Assert.Equal(new byte[] { 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF }, flash.Read(100, 8));
                flash.PowerOn();
                Assert.True(flash.Write(200, data, 0, 1));
            }
            using (var after = Open(dir))
            {
                Assert.Equal(new byte[] { 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF }, after.Read(100, 8));
                Assert.Equal(1, after.Read(0, 1)[0]);
            }
        }

        [Fact]
        public void PowerCutDuringAnEraseLeavesTheSectorHalfErased()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            var zeros = new byte[2 * SimFlash.SectorSize];
            flash.Write(0, zeros, 0, zeros.Length);
            flash.ResetOperations();
            flash.CutAt = 2; // the second sector of a two-sector erase
            Assert.Throws<PowerCutException>(() => flash.Erase(0, 2 * SimFlash.SectorSize));
            Assert.True(flash.IsErased(0, SimFlash.SectorSize));
            Assert.True(flash.IsErased(SimFlash.SectorSize, SimFlash.SectorSize / 2));
            Assert.Equal(0, flash.Read(SimFlash.SectorSize + SimFlash.SectorSize / 2, 1)[0]);
            Assert.Equal(0, flash.Read(2 * SimFlash.SectorSize - 1, 1)[0]);
        }

        [Fact]
        public void SnapshotAndRestoreReturnToAKnownState()
        {
            using var dir = new SimTempDir();
            using var flash = Open(dir);
            byte[] blank = flash.Snapshot();
            flash.Write(0, new byte[] { 0 }, 0, 1);
            flash.Restore(blank);
            Assert.True(flash.IsErased(0, 1));
            Assert.Equal(0xFF, ReadFileByte(flash.Path, 0));
        }

        private static int ReadFileByte(string path, long offset)
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            f.Position = offset;
            return f.ReadByte();
        }
    }
}
