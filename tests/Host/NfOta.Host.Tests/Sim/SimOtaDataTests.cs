using NfOta.Pc.Sim;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    public class SimOtaDataTests
    {
        [Theory]
        // Reference values from Python: binascii.crc32(struct.pack('<I', seq), 0xFFFFFFFF), the formula of ESP-IDF's otatool.py.
        [InlineData(1u, 0x4743989au)]
        [InlineData(2u, 0x55f63774u)]
        public void CrcIsTheRomCrc32OfTheSequenceNumber(uint seq, uint crc)
        {
            Assert.Equal(crc, OtaSelectEntry.ComputeCrc(seq));
        }

        [Fact]
        public void EntriesSitAtTheStartOfEachSectorInEspIdfLayout()
        {
            using var dir = new SimTempDir();
            var table = SimTestSupport.Table4MB;
            using var flash = new SimFlash(dir.Path) { Log = null };
            var otadata = new SimOtaData(flash, table.OtaData);
            var entry = OtaSelectEntry.Erased;
            entry.Seq = 2;
            entry.State = OtaImgState.PendingVerify;
            entry.Crc = OtaSelectEntry.ComputeCrc(2);
            Assert.True(otadata.Write(1, entry));

            byte[] raw = flash.Read(table.OtaData.Offset + 0x1000, 32);
            Assert.Equal(new byte[] { 2, 0, 0, 0 }, raw[0..4]);
            Assert.All(raw[4..24], b => Assert.Equal(0xFF, b));
            Assert.Equal(new byte[] { 1, 0, 0, 0 }, raw[24..28]);
            Assert.Equal(new byte[] { 0x74, 0x37, 0xf6, 0x55 }, raw[28..32]);
            Assert.True(flash.IsErased(table.OtaData.Offset, 0x1000));

            var back = otadata.Read(1);
            Assert.Equal(2u, back.Seq);
            Assert.Equal(OtaImgState.PendingVerify, back.State);
            Assert.True(back.IsValid);
            Assert.False(otadata.Read(0).IsValid);
        }

        [Fact]
        public void RewritingAnEntryErasesItsSectorFirst()
        {
            using var dir = new SimTempDir();
            using var flash = new SimFlash(dir.Path) { Log = null };
            var otadata = new SimOtaData(flash, SimTestSupport.Table4MB.OtaData);
            var e = OtaSelectEntry.Erased;
            e.Seq = 5; e.State = OtaImgState.New; e.Crc = OtaSelectEntry.ComputeCrc(5);
            Assert.True(otadata.Write(0, e));
            e.State = OtaImgState.Valid; // 0 -> 2 needs a bit set: only possible after an erase
            Assert.True(otadata.Write(0, e));
            Assert.Equal(OtaImgState.Valid, otadata.Read(0).State);
            Assert.Equal(0, flash.Violations);
        }

        [Fact]
        public void ValidityFollowsBootloaderCommon()
        {
            var e = OtaSelectEntry.Erased;
            Assert.True(e.IsInvalid);
            e.Seq = 3; e.Crc = OtaSelectEntry.ComputeCrc(3); e.State = OtaImgState.Undefined;
            Assert.True(e.IsValid);
            e.State = OtaImgState.Aborted;
            Assert.False(e.IsValid);
            e.State = OtaImgState.Invalid;
            Assert.False(e.IsValid);
            e.State = OtaImgState.New;
            e.Crc ^= 1;
            Assert.False(e.IsValid);
            Assert.False(e.IsInvalid); // bad CRC alone is not "invalid", just not valid
        }

        [Fact]
        public void ActiveCopyIsTheValidOneWithTheHighestSeq()
        {
            OtaSelectEntry Entry(uint seq, OtaImgState state) =>
                new OtaSelectEntry { Seq = seq, State = state, Crc = OtaSelectEntry.ComputeCrc(seq), Label = new byte[20] };
            Assert.Equal(1, SimOtaData.ActiveIndex(new[] { Entry(1, OtaImgState.Valid), Entry(2, OtaImgState.New) }));
            Assert.Equal(0, SimOtaData.ActiveIndex(new[] { Entry(3, OtaImgState.Valid), Entry(2, OtaImgState.Valid) }));
            Assert.Equal(0, SimOtaData.ActiveIndex(new[] { Entry(1, OtaImgState.Valid), Entry(2, OtaImgState.Aborted) }));
            Assert.Equal(-1, SimOtaData.ActiveIndex(new[] { Entry(1, OtaImgState.Invalid), OtaSelectEntry.Erased }));
        }
    }
}
