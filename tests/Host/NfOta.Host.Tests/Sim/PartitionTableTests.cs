using System.IO;
using NfOta.Pc.Sim;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    public class PartitionTableTests
    {
        private const long MB = 1024 * 1024;

        [Theory]
        [InlineData("partitions.csv", 4)]
        [InlineData("bootloader-config/partitions-8MB.csv", 8)]
        [InlineData("bootloader-config/partitions-16MB.csv", 16)]
        public void ShippedTablesValidate(string file, int megabytes)
        {
            var table = PartitionTable.Load(Path.Combine(SimTestSupport.RepoRoot, file), megabytes * MB);
            Assert.Equal(megabytes * MB, table.UsedSize);
            Assert.Equal(2, table.OtaSlots.Count);
            Assert.Equal("ota_0", table.OtaSlots[0].Name);
            Assert.Equal(0x2000, table.OtaData.Size);
            Assert.True(table.FindOta(0).Size >= 0x180000, "an app slot holds a ~1.5 MB nanoCLR");
            Assert.Equal(table.FindOta(0).Size, table.FindOta(1).Size);
            Assert.Equal(Partition.SubtypeNanoDeployment, table.Find("deploy_0").SubType);
            Assert.Equal(table.Find("deploy_0").Size, table.Find("deploy_1").Size);
            Assert.NotNull(table.Find("config"));
            // The shipped tables are bigger than a smaller chip.
            Assert.Equal(PartitionTableError.DoesNotFit, table.Validate(megabytes * MB / 2, out _));
        }

        [Fact]
        public void BlankOffsetsAreFilledInAsGenEsp32PartDoes()
        {
            // ESP-IDF's "Single factory app, no OTA" table with the offsets left blank.
            var table = Parse("nvs, data, nvs, , 0x6000,\nphy_init, data, phy, , 0x1000,\nfactory, app, factory, , 1M,\n");
            Assert.Equal(0x9000, table.Find("nvs").Offset);
            Assert.Equal(0xF000, table.Find("phy_init").Offset);
            Assert.Equal(0x10000, table.Find("factory").Offset);
            Assert.Equal(MB, table.Find("factory").Size);
            Assert.Equal(PartitionTableError.None, table.Validate(4 * MB, out _));
        }

        [Fact]
        public void AppOffsetsArePaddedTo64KAndDataTo4K()
        {
            var table = Parse("a, data, nvs, , 0x3800\nb, data, fat, , 4K\nc, app, ota_0, , 64K\n");
            Assert.Equal(0x9000, table.Find("a").Offset);
            Assert.Equal(0xD000, table.Find("b").Offset); // 0xC800 rounded up to 4K
            Assert.Equal(0x10000, table.Find("c").Offset); // 0xE000 rounded up to 64K
        }

        [Fact]
        public void ReadsNumbersKeywordsAndFlagsLikeGenEsp32Part()
        {
            var table = Parse("# comment\n\n  x, app, ota_3, 0x20000, 0x10K, encrypted\ny, 1, 0x40, 196608, 8k, readonly\nz, data, spiffs, , 1m\nw, data, , , 4K\n");
            var x = table.Find("x");
            Assert.Equal(Partition.AppType, x.Type);
            Assert.Equal(3, x.OtaSlot);
            Assert.Equal(0x10 * 1024, x.Size);
            Assert.True(x.Encrypted);
            var y = table.Find("y");
            Assert.Equal(Partition.DataType, y.Type);
            Assert.Equal(0x40, y.SubType);
            Assert.Equal(196608, y.Offset);
            Assert.True(y.ReadOnly);
            Assert.Equal(0x82, table.Find("z").SubType);
            Assert.Equal(0x06, table.Find("w").SubType); // empty data subtype = undefined
            Assert.Equal(3, x.Line);
        }

        [Theory]
        [InlineData("a, , nvs, 0x9000, 0x4000", "type")]
        [InlineData("a, data, nvs, 0x9000,", "size")]
        [InlineData("a, app, , 0x10000, 1M", "subtype")]
        [InlineData("a, data, nvz, 0x9000, 0x4000", "nvz")]
        [InlineData("a, data, nvs, 0x9000, 0x40G0", "0x40G0")]
        [InlineData("a, data, fat, 0x9000, 010", "010")] // Python's int('010', 0) refuses a leading zero
        public void SyntaxErrorsNameTheField(string csv, string expected)
        {
            Assert.False(PartitionTable.TryParse(csv, out _, out var error, out var message));
            Assert.Equal(PartitionTableError.Syntax, error);
            Assert.Contains(expected, message);
            Assert.StartsWith("line 1:", message);
        }

        [Fact]
        public void OctalAndBinaryNumbersAreReadAsPythonDoes()
        {
            var table = Parse("a, data, fat, 0x9000, 0o10000\nb, data, fat, , 0b1000000000000");
            Assert.Equal(0x1000, table.Find("a").Size);
            Assert.Equal(0x1000, table.Find("b").Size);
        }

        [Fact]
        public void UnknownFlagIsRefused()
        {
            Assert.False(PartitionTable.TryParse("a, data, nvs, 0x9000, 0x4000, secret", out _, out var error, out _));
            Assert.Equal(PartitionTableError.UnknownFlag, error);
        }

        [Fact]
        public void FirstPartitionInsideTheTableSectorIsRefusedWhileParsing()
        {
            Assert.False(PartitionTable.TryParse("a, data, nvs, 0x8000, 0x4000", out _, out var error, out var message));
            Assert.Equal(PartitionTableError.BelowPartitionTable, error);
            Assert.Contains("0x9000", message);
        }

        [Fact]
        public void OverlapInFileOrderIsRefusedWhileParsing()
        {
            Assert.False(PartitionTable.TryParse("a, data, nvs, 0x9000, 0x4000\nb, data, fat, 0xC000, 0x1000", out _, out var error, out _));
            Assert.Equal(PartitionTableError.Overlap, error);
        }

        [Fact]
        public void OffsetsMustAscendInFileOrder()
        {
            // gen_esp32part.py requires each offset to be past the end of the previous row.
            Assert.False(PartitionTable.TryParse("b, data, fat, 0x20000, 0x2000\na, data, nvs, 0x9000, 0x4000", out _, out var error, out var message));
            Assert.Equal(PartitionTableError.Overlap, error);
            Assert.Contains("0x22000", message);
        }

        [Theory]
        [InlineData("a, app, ota_0, 0x11000, 1M", PartitionTableError.MisalignedOffset)]
        [InlineData("a, data, nvs, 0x9800, 0x4000", PartitionTableError.MisalignedOffset)]
        [InlineData("a, app, ota_0, 0x10000, 0x100800", PartitionTableError.MisalignedSize)]
        [InlineData("a, data, nvs, 0x9000, 0x4000\na, data, fat, 0xD000, 0x1000", PartitionTableError.DuplicateName)]
        [InlineData("a, data, ota, 0x9000, 0x2000\nb, data, ota, 0xB000, 0x2000", PartitionTableError.MultipleOtaData)]
        [InlineData("otadata, data, ota, 0x9000, 0x1000", PartitionTableError.OtaDataSize)]
        [InlineData("otadata, data, ota, 0x9000, 0x4000", PartitionTableError.OtaDataSize)]
        [InlineData("otadata, data, ota, 0x9000, 0x2000, readonly", PartitionTableError.ReadOnlyNotAllowed)]
        [InlineData("nvs, data, nvs, 0x9000, 0x2000", PartitionTableError.NvsTooSmall)]
        [InlineData("a, app, ota_0, 0x10000, 4M", PartitionTableError.DoesNotFit)]
        [InlineData("a_name_of_17_chars, data, nvs, 0x9000, 0x4000", PartitionTableError.NameTooLong)]
        public void EachRuleIsEnforced(string csv, PartitionTableError expected)
        {
            var table = Parse(csv.Replace("\\n", "\n"));
            Assert.Equal(expected, table.Validate(4 * MB, out var message));
            Assert.False(string.IsNullOrEmpty(message));
        }

        [Fact]
        public void ReadOnlySmallNvsIsAllowed()
        {
            Assert.Equal(PartitionTableError.None, Parse("nvs, data, nvs, 0x9000, 0x1000, readonly").Validate(4 * MB, out _));
        }

        [Fact]
        public void TooManyEntriesDoNotFitTheBinaryTable()
        {
            var csv = new System.Text.StringBuilder();
            for (int i = 0; i < 95; i++) csv.Append("p" + i + ", data, fat, , 4K\n");
            Assert.Equal(PartitionTableError.TooManyEntries, Parse(csv.ToString()).Validate(4 * MB, out _));
            var fewer = new System.Text.StringBuilder();
            for (int i = 0; i < 94; i++) fewer.Append("p" + i + ", data, fat, , 4K\n");
            Assert.Equal(PartitionTableError.None, Parse(fewer.ToString()).Validate(4 * MB, out _));
        }

        [Fact]
        public void LoadThrowsWithTheRuleForABrokenFile()
        {
            using var dir = new SimTempDir();
            string path = Path.Combine(dir.Path, "bad.csv");
            File.WriteAllText(path, "otadata, data, ota, 0x9000, 0x1000\n");
            var ex = Assert.Throws<InvalidDataException>(() => PartitionTable.Load(path, 4 * MB));
            Assert.Contains("OtaDataSize", ex.Message);
        }

        private static PartitionTable Parse(string csv)
        {
            Assert.True(PartitionTable.TryParse(csv, out var table, out var error, out var message), error + ": " + message);
            return table;
        }
    }
}
