using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NfOta.Pc.Sim
{
    /// <summary>Which rule of ESP-IDF's gen_esp32part.py a partition table breaks.</summary>
    public enum PartitionTableError
    {
        None,
        /// <summary>A field could not be read (empty type, unknown keyword, bad number, empty size).</summary>
        Syntax,
        UnknownFlag,
        /// <summary>A partition starts before the end of the partition table sector (0x8000 + 0x1000).</summary>
        BelowPartitionTable,
        Overlap,
        /// <summary>Offset not aligned: 0x10000 for app partitions, 0x1000 for data.</summary>
        MisalignedOffset,
        /// <summary>App partition size not a multiple of 0x1000.</summary>
        MisalignedSize,
        DuplicateName,
        MultipleOtaData,
        /// <summary>The otadata partition must be exactly 0x2000 bytes (two sectors).</summary>
        OtaDataSize,
        /// <summary>A read/write NVS partition must be at least 0x3000 bytes.</summary>
        NvsTooSmall,
        ReadOnlyNotAllowed,
        /// <summary>The partitions end beyond the flash size.</summary>
        DoesNotFit,
        /// <summary>The binary table holds a 16-byte name; gen_esp32part.py would silently truncate a longer one.</summary>
        NameTooLong,
        /// <summary>More entries than fit in the 0xC00 bytes of the binary table (with its MD5 entry).</summary>
        TooManyEntries,
        /// <summary>Bootloader/partition_table entries, which need the build's offsets; not modelled.</summary>
        Unsupported
    }

    /// <summary>One row of a partition table.</summary>
    public sealed class Partition
    {
        public const byte AppType = 0x00;
        public const byte DataType = 0x01;
        public const byte SubtypeFactory = 0x00;
        public const byte SubtypeOtaMin = 0x10;
        public const byte SubtypeTest = 0x20;
        public const byte SubtypeOtaData = 0x00;
        public const byte SubtypeNvs = 0x02;
        public const byte SubtypeCoredump = 0x03;
        /// <summary>The data subtype nanoFramework uses for its deployment (managed assemblies) area.</summary>
        public const byte SubtypeNanoDeployment = 0x84;

        public string Name { get; internal set; }
        public byte Type { get; internal set; }
        public byte SubType { get; internal set; }
        public long Offset { get; internal set; }
        public long Size { get; internal set; }
        public bool Encrypted { get; internal set; }
        public bool ReadOnly { get; internal set; }
        /// <summary>Line of the CSV the row came from (1-based).</summary>
        public int Line { get; internal set; }

        public long End => Offset + Size;
        public bool IsApp => Type == AppType;
        public bool IsOtaApp => Type == AppType && SubType >= SubtypeOtaMin && SubType < SubtypeOtaMin + 16;
        /// <summary>0 for ota_0, 1 for ota_1, ...; -1 when not an OTA app slot.</summary>
        public int OtaSlot => IsOtaApp ? SubType - SubtypeOtaMin : -1;
        public bool IsOtaData => Type == DataType && SubType == SubtypeOtaData;
        public bool IsFactory => Type == AppType && SubType == SubtypeFactory;

        public override string ToString() => $"{Name} {Type}/0x{SubType:x2} @0x{Offset:x} size 0x{Size:x}";
    }

    /// <summary>
    /// An ESP-IDF partition table read from its CSV form, following components/partition_table/gen_esp32part.py:
    /// the same keywords, number forms (0x.., decimal, K/M suffixes), offset fill-in for blank offsets and
    /// the same verification rules. Results are values: <see cref="TryParse"/> and <see cref="Validate"/>
    /// return the first broken rule and a one-line message.
    /// </summary>
    public sealed class PartitionTable
    {
        public const long DefaultTableOffset = 0x8000;
        public const long TableSize = 0x1000;
        private const int MaxBinaryLength = 0xC00;
        private const int EntrySize = 32;

        private static readonly Dictionary<string, byte> Types = new Dictionary<string, byte>
        {
            ["app"] = 0x00, ["data"] = 0x01, ["bootloader"] = 0x02, ["partition_table"] = 0x03
        };

        private static readonly Dictionary<string, byte> AppSubtypes = BuildAppSubtypes();

        private static readonly Dictionary<string, byte> DataSubtypes = new Dictionary<string, byte>
        {
            ["ota"] = 0x00, ["phy"] = 0x01, ["nvs"] = 0x02, ["coredump"] = 0x03, ["nvs_keys"] = 0x04,
            ["efuse"] = 0x05, ["undefined"] = 0x06, ["esphttpd"] = 0x80, ["fat"] = 0x81, ["spiffs"] = 0x82,
            ["littlefs"] = 0x83, ["tee_ota"] = 0x90
        };

        private readonly List<Partition> _partitions;

        private PartitionTable(List<Partition> partitions, long tableOffset)
        {
            _partitions = partitions;
            TableOffset = tableOffset;
        }

        public IReadOnlyList<Partition> Partitions => _partitions;
        public long TableOffset { get; }

        /// <summary>Where the last partition ends (gen_esp32part.py's flash_size()).</summary>
        public long UsedSize => _partitions.Count == 0 ? 0 : _partitions.Max(p => p.End);

        /// <summary>OTA app slots, ordered by slot number (ota_0 first).</summary>
        public IReadOnlyList<Partition> OtaSlots => _partitions.Where(p => p.IsOtaApp).OrderBy(p => p.SubType).ToList();

        public Partition OtaData => _partitions.FirstOrDefault(p => p.IsOtaData);
        public Partition Factory => _partitions.FirstOrDefault(p => p.IsFactory);
        public Partition Test => _partitions.FirstOrDefault(p => p.Type == Partition.AppType && p.SubType == Partition.SubtypeTest);

        public Partition Find(string name) => _partitions.FirstOrDefault(p => p.Name == name);

        /// <summary>The app partition for ota_N (esp_partition_find_first(APP, OTA_0 + N)), or null.</summary>
        public Partition FindOta(int slot) => _partitions.FirstOrDefault(p => p.IsOtaApp && p.OtaSlot == slot);

        /// <summary>Reads and validates a CSV file; throws <see cref="InvalidDataException"/> with the rule's message when it breaks one.</summary>
        public static PartitionTable Load(string path, long flashSize, long tableOffset = DefaultTableOffset)
        {
            if (!TryParse(File.ReadAllText(path), out var table, out var error, out var message, tableOffset))
                throw new InvalidDataException($"{path}: {error}: {message}");
            error = table.Validate(flashSize, out message);
            if (error != PartitionTableError.None)
                throw new InvalidDataException($"{path}: {error}: {message}");
            return table;
        }

        /// <summary>Parses CSV text and fills in blank offsets; does not run <see cref="Validate"/>.</summary>
        public static bool TryParse(string csv, out PartitionTable table, out PartitionTableError error, out string message,
            long tableOffset = DefaultTableOffset)
        {
            table = null;
            var rows = new List<Partition>();
            string[] lines = csv.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                    continue;
                if (!ParseRow(line, i + 1, out var row, out error, out message))
                {
                    message = $"line {i + 1}: {message}";
                    return false;
                }
                rows.Add(row);
            }

            // Fill in blank offsets exactly as gen_esp32part.py's from_csv does.
            long lastEnd = tableOffset + TableSize;
            foreach (var p in rows)
            {
                if (p.Offset >= 0 && p.Offset < lastEnd)
                {
                    error = p == rows[0] ? PartitionTableError.BelowPartitionTable : PartitionTableError.Overlap;
                    message = p == rows[0]
                        ? $"line {p.Line}: partition sets offset 0x{p.Offset:x} but the partition table occupies the sector at 0x{tableOffset:x}; use 0x{lastEnd:x} or higher"
                        : $"line {p.Line}: partitions overlap: offset 0x{p.Offset:x}, previous partition ends 0x{lastEnd:x}";
                    return false;
                }
                if (p.Offset < 0)
                {
                    long align = OffsetAlignment(p.Type);
                    if (lastEnd % align != 0)
                        lastEnd += align - lastEnd % align;
                    p.Offset = lastEnd;
                }
                lastEnd = p.Offset + p.Size;
            }

            table = new PartitionTable(rows, tableOffset);
            error = PartitionTableError.None;
            message = null;
            return true;
        }

        /// <summary>
        /// gen_esp32part.py's verify() plus its --flash-size check: alignment, unique names, no overlap,
        /// nothing below the table, at most one otadata and it is 0x2000 bytes, NVS at least 0x3000, fits the flash.
        /// </summary>
        public PartitionTableError Validate(long flashSize, out string message)
        {
            if (_partitions.Count * EntrySize + EntrySize >= MaxBinaryLength)
                return Fail(PartitionTableError.TooManyEntries, $"{_partitions.Count} entries do not fit in the 0x{MaxBinaryLength:x}-byte table", out message);

            foreach (var p in _partitions)
            {
                long align = OffsetAlignment(p.Type);
                if (p.Offset % align != 0)
                    return Fail(PartitionTableError.MisalignedOffset, $"partition {p.Name}: offset 0x{p.Offset:x} is not aligned to 0x{align:x}", out message);
                if (p.IsApp && p.Size % 0x1000 != 0)
                    return Fail(PartitionTableError.MisalignedSize, $"partition {p.Name}: size 0x{p.Size:x} is not aligned to 0x1000", out message);
                if (System.Text.Encoding.UTF8.GetByteCount(p.Name) > 16)
                    return Fail(PartitionTableError.NameTooLong, $"partition {p.Name}: name is longer than 16 bytes", out message);
                if (p.Type == Partition.DataType && (p.SubType == Partition.SubtypeOtaData || p.SubType == Partition.SubtypeCoredump) && p.ReadOnly)
                    return Fail(PartitionTableError.ReadOnlyNotAllowed, $"partition {p.Name}: otadata and coredump partitions are always read-write", out message);
                if (p.Type == Partition.DataType && p.SubType == Partition.SubtypeNvs && p.Size < 0x3000 && !p.ReadOnly)
                    return Fail(PartitionTableError.NvsTooSmall, $"partition {p.Name}: a read/write NVS partition needs at least 0x3000 bytes (size 0x{p.Size:x})", out message);
            }

            var duplicate = _partitions.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                return Fail(PartitionTableError.DuplicateName, $"partition names must be unique: '{duplicate.Key}' appears {duplicate.Count()} times", out message);

            Partition last = null;
            foreach (var p in _partitions.OrderBy(p => p.Offset))
            {
                if (p.Offset < TableOffset + TableSize)
                    return Fail(PartitionTableError.BelowPartitionTable, $"partition {p.Name}: offset 0x{p.Offset:x} is below 0x{TableOffset + TableSize:x}", out message);
                if (last != null && p.Offset < last.End)
                    return Fail(PartitionTableError.Overlap, $"partition {p.Name} at 0x{p.Offset:x} overlaps {last.Name} 0x{last.Offset:x}-0x{last.End - 1:x}", out message);
                last = p;
            }

            var otadata = _partitions.Where(p => p.IsOtaData).ToList();
            if (otadata.Count > 1)
                return Fail(PartitionTableError.MultipleOtaData, "found multiple otadata partitions; only one partition can have type data and subtype ota", out message);
            if (otadata.Count == 1 && otadata[0].Size != 0x2000)
                return Fail(PartitionTableError.OtaDataSize, $"otadata partition must have size = 0x2000 (is 0x{otadata[0].Size:x})", out message);

            if (UsedSize > flashSize)
                return Fail(PartitionTableError.DoesNotFit, $"partitions occupy 0x{UsedSize:x} bytes, which does not fit in a 0x{flashSize:x}-byte flash", out message);

            message = null;
            return PartitionTableError.None;
        }

        private static PartitionTableError Fail(PartitionTableError error, string text, out string message)
        {
            message = text;
            return error;
        }

        private static long OffsetAlignment(byte type) => type == Partition.AppType ? 0x10000 : 0x1000;

        private static bool ParseRow(string line, int lineNo, out Partition row, out PartitionTableError error, out string message)
        {
            row = null;
            error = PartitionTableError.Syntax;
            message = null;
            string[] fields = (line + ",,,,").Split(',').Select(f => f.Trim()).ToArray();
            var p = new Partition { Name = fields[0], Line = lineNo };

            if (fields[1].Length == 0) { message = "field 'type' can't be left empty"; return false; }
            if (!ParseInt(fields[1], Types, out long type, out message)) return false;
            if (type > 0xFE) { message = $"type 0x{type:x} out of range"; return false; }
            p.Type = (byte)type;
            if (p.Type == 0x02 || p.Type == 0x03)
            {
                error = PartitionTableError.Unsupported;
                message = "bootloader and partition_table entries are not supported by the simulator";
                return false;
            }

            if (fields[2].Length == 0)
            {
                if (p.Type == Partition.AppType) { message = "app partition cannot have an empty subtype"; return false; }
                p.SubType = DataSubtypes["undefined"];
            }
            else
            {
                var keywords = p.Type == Partition.AppType ? AppSubtypes : p.Type == Partition.DataType ? DataSubtypes : new Dictionary<string, byte>();
                if (!ParseInt(fields[2], keywords, out long subtype, out message)) return false;
                if (subtype > 0xFE) { message = $"subtype 0x{subtype:x} out of range"; return false; }
                p.SubType = (byte)subtype;
            }

            if (fields[3].Length == 0)
                p.Offset = -1;
            else if (!ParseInt(fields[3], null, out long offset, out message)) return false;
            else p.Offset = offset;

            if (fields[4].Length == 0) { message = "size field can't be empty"; return false; }
            if (!ParseInt(fields[4], null, out long size, out message)) return false;
            if (size < 0) { message = "negative sizes are not supported"; return false; }
            p.Size = size;

            foreach (string flag in fields[5].Split(':'))
            {
                if (flag == "encrypted") p.Encrypted = true;
                else if (flag == "readonly") p.ReadOnly = true;
                else if (flag.Length > 0)
                {
                    error = PartitionTableError.UnknownFlag;
                    message = $"CSV flag column contains unknown flag '{flag}'";
                    return false;
                }
            }

            row = p;
            error = PartitionTableError.None;
            return true;
        }

        /// <summary>gen_esp32part.py's parse_int: int(x, 0) with k/m suffixes (1024-based), else a keyword.</summary>
        private static bool ParseInt(string text, Dictionary<string, byte> keywords, out long value, out string message)
        {
            message = null;
            string lower = text.ToLowerInvariant();
            if (lower.EndsWith("k") || lower.EndsWith("m"))
            {
                long multiplier = lower.EndsWith("k") ? 1024 : 1024 * 1024;
                if (ParseInt(text.Substring(0, text.Length - 1), keywords, out value, out message))
                {
                    value *= multiplier;
                    return true;
                }
            }
            if (TryPythonInt(lower, out value))
                return true;
            if (keywords != null && keywords.TryGetValue(lower, out byte known))
            {
                value = known;
                return true;
            }
            message = keywords == null || keywords.Count == 0
                ? $"invalid field value {text}"
                : $"value '{text}' is not valid. Known keywords: {string.Join(", ", keywords.Keys)}";
            return false;
        }

        /// <summary>Python's int(text, 0) for the forms a partition table uses: 0x.., 0o.., 0b.., decimal.</summary>
        private static bool TryPythonInt(string s, out long value)
        {
            value = 0;
            s = s.Replace("_", "");
            bool negative = s.StartsWith("-");
            if (negative || s.StartsWith("+")) s = s.Substring(1);
            bool ok;
            if (s.StartsWith("0x")) ok = long.TryParse(s.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && s.Length > 2;
            else if (s.StartsWith("0o")) ok = TryBase(s.Substring(2), 8, out value);
            else if (s.StartsWith("0b")) ok = TryBase(s.Substring(2), 2, out value);
            else ok = s.Length > 0 && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0' || s.All(c => c == '0'))
                      && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (negative) value = -value;
            return ok;
        }

        private static bool TryBase(string digits, int radix, out long value)
        {
            value = 0;
            if (digits.Length == 0) return false;
            foreach (char c in digits)
            {
                int d = c - '0';
                if (d < 0 || d >= radix) return false;
                value = value * radix + d;
            }
            return true;
        }

        private static Dictionary<string, byte> BuildAppSubtypes()
        {
            var map = new Dictionary<string, byte> { ["factory"] = 0x00, ["test"] = 0x20 };
            for (int i = 0; i < 16; i++) map["ota_" + i] = (byte)(0x10 + i);
            map["tee_0"] = 0x30;
            map["tee_1"] = 0x31;
            return map;
        }
    }
}
