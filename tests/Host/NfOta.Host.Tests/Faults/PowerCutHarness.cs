using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Images;
using NfOta.Pc.Sim;
using NfOta.Ports;
using NfOta.Settings;
using NfOta.Tests.Support;
using SimPowerCut = NfOta.Pc.Sim.PowerCutException;
using StoragePowerCut = NfOta.Tests.Support.PowerCutException;

namespace NfOta.Host.Tests.Faults
{
    /// <summary>One sweep's set-up: image, transport, chunk and checkpoint sizes, and whether the new image passes its self-test.</summary>
    public sealed class PowerCutConfig
    {
        public int ImageSize = 96 * 1024;
        public int ChunkSize = 4096;
        public int CheckpointBytes = 16384;
        /// <summary>True: the image comes as MQTT chunks (the platform answers chunk requests); false: HTTP range requests.</summary>
        public bool MqttChunks;
        /// <summary>"pass" or "fail": the new image's self-test outcome marker.</summary>
        public string SelfTest = "pass";
        public string OldVersion = "1.0.0";
        /// <summary>The old image runs from ota_1 (an earlier update), so the new one goes to ota_0 and otadata's seq moves on from 2.</summary>
        public bool StartOnSecondSlot;
        /// <summary>Negative control: a byte of the running image is flipped in flash, so the old image cannot boot again.</summary>
        public bool DamageOldImage;
        public string NewVersion = "1.1.0";

        public override string ToString() =>
            (MqttChunks ? "mqtt chunks" : "http range") + ", image " + ImageSize + " B, chunk " + ChunkSize
            + " B, checkpoint " + CheckpointBytes + " B" + (SelfTest == "pass" ? "" : ", self-test " + SelfTest)
            + (StartOnSecondSlot ? ", from ota_1 to ota_0" : "") + (DamageOldImage ? ", old image damaged" : "");
    }

    public enum CutOutcome
    {
        /// <summary>No cut happened: the cut point is after the last operation.</summary>
        NotReached,
        /// <summary>The new image runs and is confirmed (otadata Valid, agent Confirmed, reported Updated).</summary>
        Completed,
        /// <summary>The old image runs and the platform was told the update failed.</summary>
        RolledBack,
        /// <summary>The bootloader found nothing to run.</summary>
        Bricked,
        /// <summary>Bootable, but the agent did not settle on one of the outcomes above.</summary>
        Wrong
    }

    /// <summary>What one cut point did.</summary>
    public sealed class CutResult
    {
        public long Cut;
        /// <summary>"flash" (SimFlash operation) or "journal" (a journal record write torn in half).</summary>
        public string Medium;
        /// <summary>download, select (SetBootSlot), bootloader, confirm (MarkRunningValid), rollback, journal, other.</summary>
        public string Phase;
        /// <summary>erase or write.</summary>
        public string Kind;
        public CutOutcome Outcome;
        /// <summary>Bytes the platform served in the whole run, minus the image size.</summary>
        public long BytesAgain;
        /// <summary>Offset the first download after the cut started from; -1 when there was none.</summary>
        public long ResumeOffset = -1;
        /// <summary>Checkpoint position in the journal right after the cut.</summary>
        public long JournalPosition;
        /// <summary>Image bytes handed over by the platform before the cut.</summary>
        public long ServedBeforeCut;
        public int Boots;
        /// <summary>Failure reports the platform received before the device settled.</summary>
        public int FailedReports;
        /// <summary>Where a second cut (if asked for) landed.</summary>
        public string SecondPhase = "";
        public string Detail;
    }

    /// <summary>Totals of a sweep, printed like MCUboot's simulator prints its power-cut runs.</summary>
    public sealed class PowerCutFigures
    {
        public PowerCutConfig Config;
        public long CleanFlashOperations;
        public long CleanJournalWrites;
        public readonly Dictionary<string, int> CleanOperationsByLabel = new Dictionary<string, int>();
        public readonly List<CutResult> Results = new List<CutResult>();

        public int Tried => Results.Count;
        public int Count(CutOutcome o) => Results.FindAll(r => r.Outcome == o).Count;
        public int Bricks => Count(CutOutcome.Bricked);
        public int Completed => Count(CutOutcome.Completed);
        public int RolledBack => Count(CutOutcome.RolledBack);
        public int Wrong => Count(CutOutcome.Wrong);
        public List<CutResult> DownloadCuts => Results.FindAll(r => r.Phase == "download");
        public int ResumedFromCheckpoint => DownloadCuts.FindAll(r => r.ResumeOffset > 0).Count;
        public int RestartedBeforeFirstCheckpoint => DownloadCuts.FindAll(r => r.ResumeOffset == 0).Count;
        /// <summary>Cuts after which the whole image was downloaded again.</summary>
        public int FullDownloadsAgain => Results.FindAll(r => r.BytesAgain >= Config.ImageSize).Count;
        public long BytesAgainTotal { get { long t = 0; foreach (var r in Results) t += r.BytesAgain; return t; } }
        public long BytesAgainMax { get { long t = 0; foreach (var r in Results) t = Math.Max(t, r.BytesAgain); return t; } }
        public double BytesAgainAverage => Tried == 0 ? 0 : (double)BytesAgainTotal / Tried;

        public string Describe()
        {
            var s = new StringBuilder();
            s.AppendLine("power-cut sweep: " + Config);
            s.Append("  clean update: " + CleanFlashOperations + " flash operations (");
            bool first = true;
            foreach (var kv in CleanOperationsByLabel)
            {
                s.Append(first ? "" : ", ").Append(kv.Value).Append(' ').Append(kv.Key);
                first = false;
            }
            s.AppendLine("), " + CleanJournalWrites + " journal writes");
            s.AppendLine("  cut points tried: " + Tried + "  bricks: " + Bricks + "  completed: " + Completed
                + "  rolled back: " + RolledBack + "  wrong outcome: " + Wrong);
            var phases = new SortedDictionary<string, int>();
            foreach (var r in Results)
            {
                string key = r.Medium == "journal" ? "journal write" : r.Phase + " " + r.Kind;
                phases[key] = phases.TryGetValue(key, out int n) ? n + 1 : 1;
            }
            s.Append("  cut during:");
            foreach (var kv in phases) s.Append(' ').Append(kv.Key).Append(' ').Append(kv.Value).Append(';');
            s.AppendLine();
            s.AppendLine("  download cuts: " + DownloadCuts.Count + ", resumed from a checkpoint: " + ResumedFromCheckpoint
                + ", from byte 0 (cut before the first checkpoint): " + RestartedBeforeFirstCheckpoint);
            s.AppendLine("  bytes downloaded again: average " + BytesAgainAverage.ToString("F0") + " per cut point, max "
                + BytesAgainMax + ", total " + BytesAgainTotal + "; whole image downloaded again after " + FullDownloadsAgain + " cut points");
            return s.ToString();
        }
    }

    /// <summary>
    /// The journal store of the harness: a <see cref="MemoryStorage"/> (the core tests' RAM records) that
    /// counts writes, tears the one numbered <see cref="CutAt"/> (half written, then a power cut), and can be
    /// copied and restored between cut points.
    /// </summary>
    public sealed class CuttableJournalStore : IStorage
    {
        private MemoryStorage _inner = new MemoryStorage();
        private readonly HashSet<string> _names = new HashSet<string>();

        public long Writes { get; private set; }
        public long? CutAt { get; set; }

        public int Read(string name, byte[] buffer) => _inner.Read(name, buffer);

        public bool Write(string name, byte[] data, int count)
        {
            Writes++;
            _names.Add(name);
            if (CutAt == Writes)
            {
                CutAt = null;
                _inner.TearNextWrite = true;
            }
            return _inner.Write(name, data, count);
        }

        public bool Delete(string name)
        {
            _names.Remove(name);
            return _inner.Delete(name);
        }

        public Dictionary<string, byte[]> Snapshot()
        {
            var copy = new Dictionary<string, byte[]>();
            foreach (string name in _names)
            {
                var buffer = new byte[UpdateJournal.MaxRecord * 2];
                int n = _inner.Read(name, buffer);
                if (n >= 0) copy[name] = buffer.AsSpan(0, n).ToArray();
            }
            return copy;
        }

        public void Restore(Dictionary<string, byte[]> snapshot)
        {
            _inner = new MemoryStorage();
            _names.Clear();
            foreach (var kv in snapshot)
            {
                _inner.Write(kv.Key, kv.Value, kv.Value.Length);
                _names.Add(kv.Key);
            }
            Writes = 0;
            CutAt = null;
        }
    }

    /// <summary>
    /// Cuts the power at every flash operation (each sector erase, each write, each otadata update, the
    /// bootloader's own otadata writes and the confirmation after the reboot) of a whole update run by the
    /// real <see cref="UpdateAgent"/> on the simulated ESP32, and at every journal write; then powers on,
    /// boots with the simulated bootloader, starts a new agent on whatever image booted, lets the platform
    /// deliver its pending release again on connect, and checks where the device settles.
    /// <para>
    /// The device: <see cref="SimEsp32"/> with the repository's partitions.csv, factory image (old version) in
    /// ota_0, real <see cref="EspAppImageBuilder"/> images, <see cref="SimBootControl"/>; the agent's journal in
    /// a <see cref="MemoryStorage"/>; the platform is the core tests' <see cref="TestAdapter"/> over
    /// <see cref="ScriptedMqtt"/>, serving bytes from a <see cref="MemoryRangeSource"/> or as MQTT chunks.
    /// </para>
    /// </summary>
    public sealed class PowerCutHarness : IDisposable
    {
        private const int MaxPolls = 4000;
        private const int MaxBoots = 8;

        private readonly PowerCutConfig _config;
        private readonly string _dir;
        private readonly SimEsp32 _esp;
        private readonly byte[] _newImage;
        private readonly string _offerJson;
        private readonly DeviceSettings _settings;
        private readonly CuttableJournalStore _storage = new CuttableJournalStore();
        private readonly byte[] _flashStart;
        private readonly Dictionary<string, byte[]> _journalStart;

        private ManualClock _clock;
        private TestAdapter _adapter;
        private MemoryRangeSource _http;
        private OpenRecorder _httpPort;
        private ScriptedMqtt _mqtt;
        private UpdateAgent _agent;
        private SimBootControl _bootControl;
        private readonly Partition _startPartition;
        private long _chunkBytesServed;
        private long _firstRequestAfterCut = -1;
        private bool _afterCut;
        private int _boots;

        public PowerCutHarness(PowerCutConfig config)
        {
            _config = config;
            string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            _dir = Path.Combine(root, "nfota-powercut-" + Guid.NewGuid().ToString("N"));
            _esp = SimEsp32.Open(_dir, FindPartitionsCsv());
            _esp.Flash.Log = null;
            _esp.Flash.WriteThrough = false; // the chip lives in RAM; the file only gets Restore's copies
            _esp.ProgramImage("ota_0", new EspAppImageBuilder { Version = config.StartOnSecondSlot ? "0.9.0" : config.OldVersion, Seed = 1, Size = 64 * 1024, SelfTest = "pass" }.Build());
            BootResult first = _esp.Boot();
            if (first.Bricked)
                throw new InvalidOperationException("the factory image does not boot");
            if (config.StartOnSecondSlot)
                first = InstallByHand(new EspAppImageBuilder { Version = config.OldVersion, Seed = 3, Size = 80 * 1024, SelfTest = "pass" }.Build());
            _startPartition = first.Partition;

            if (config.DamageOldImage)
            {
                byte[] chip = _esp.Flash.Snapshot();
                chip[_startPartition.Offset + 40 * 1024] ^= 0x01;
                _esp.Flash.Restore(chip);
            }

            _newImage = new EspAppImageBuilder { Version = config.NewVersion, Seed = 2, Size = config.ImageSize, SelfTest = config.SelfTest }.Build();
            _settings = new DeviceSettings
            {
                Platform = "test",
                ChunkSize = config.ChunkSize,
                CheckpointBytes = config.CheckpointBytes,
                Window = 4,
                TimeoutMs = 1000,
                Retries = 3,
                ProgressStepPercent = 25,
                SelfTestTimeoutSeconds = 5
            };
            string algorithm = config.MqttChunks ? "MD5" : "SHA256";
            string hash = AgentRig.Digest(config.MqttChunks ? HashAlgorithmKind.Md5 : HashAlgorithmKind.Sha256, _newImage);
            _offerJson = "{\"version\":\"" + config.NewVersion + "\",\"size\":" + _newImage.Length + ",\"algorithm\":\"" + algorithm
                + "\",\"hash\":\"" + hash + "\"" + (config.MqttChunks ? "" : ",\"url\":\"" + Url + "\"") + "}";
            _flashStart = _esp.Flash.Snapshot();
            _journalStart = _storage.Snapshot();
        }

        private const string Url = "http://images.example/fw.bin";

        /// <summary>An earlier update done without the agent: image into ota_1, selected, booted and confirmed (otadata seq 2).</summary>
        private BootResult InstallByHand(byte[] image)
        {
            SimBootControl control = _esp.BootControl;
            var slot = control.OpenUpdateSlot();
            int erase = (image.Length + slot.SectorSize - 1) / slot.SectorSize * slot.SectorSize;
            if (!slot.Erase(0, erase) || !slot.Write(0, image, 0, image.Length) || !control.SetBootSlot(control.UpdateSlot))
                throw new InvalidOperationException("the earlier update could not be installed");
            BootResult boot = _esp.Boot();
            if (boot.Bricked || boot.Slot != 1 || !_esp.BootControl.MarkRunningValid())
                throw new InvalidOperationException("the earlier update did not boot: " + boot);
            return boot;
        }

        public byte[] NewImage => _newImage;

        public SimEsp32 Device => _esp;

        /// <summary>The agent's last platform reports (kept across boots, like the platform's history).</summary>
        public TestAdapter Platform => _adapter;

        /// <summary>Runs the whole update with no cut and returns the number of flash operations and journal writes it took.</summary>
        public CutResult RunClean(out long flashOperations, out long journalWrites)
        {
            CutResult r = RunCut(null, null);
            flashOperations = _esp.Flash.Operations;
            journalWrites = _storage.Writes;
            return r;
        }

        /// <summary>Cuts every flash operation and every journal write of the update in turn.</summary>
        public PowerCutFigures Sweep(bool journal = true, Action<CutResult> each = null)
        {
            var figures = new PowerCutFigures { Config = _config };
            CutResult clean = RunClean(out long ops, out long writes);
            if (clean.Outcome != (_config.SelfTest == "pass" ? CutOutcome.Completed : CutOutcome.RolledBack))
                throw new InvalidOperationException("the update without a power cut ended " + clean.Outcome + ": " + clean.Detail);
            figures.CleanFlashOperations = ops;
            figures.CleanJournalWrites = writes;
            for (long k = 1; k <= ops; k++)
            {
                CutResult r = RunCut(k, null);
                if (r.Outcome == CutOutcome.NotReached)
                    throw new InvalidOperationException("flash cut " + k + " of " + ops + " was not reached: the update is not deterministic");
                string label = r.Phase + " " + r.Kind;
                figures.CleanOperationsByLabel[label] = figures.CleanOperationsByLabel.TryGetValue(label, out int n) ? n + 1 : 1;
                figures.Results.Add(r);
                each?.Invoke(r);
            }
            if (journal)
            {
                for (long k = 1; k <= writes; k++)
                {
                    CutResult r = RunCut(null, k);
                    if (r.Outcome == CutOutcome.NotReached)
                        throw new InvalidOperationException("journal cut " + k + " of " + writes + " was not reached");
                    figures.Results.Add(r);
                    each?.Invoke(r);
                }
            }
            return figures;
        }

        /// <summary>
        /// From the factory state: runs the update with the power cut at flash operation <paramref name="flashCut"/>
        /// or at journal write <paramref name="journalCut"/> (or none), then powers on and runs until the device settles.
        /// With <paramref name="thenFlashCut"/>, the power goes a second time at that flash operation counted from the
        /// first power-on (<see cref="CutResult.SecondPhase"/> says where; empty when the run ended first).
        /// </summary>
        public CutResult RunCut(long? flashCut, long? journalCut, long? thenFlashCut = null)
        {
            _esp.Flash.Restore(_flashStart);
            _esp.Flash.PowerOn();
            _esp.Flash.ResetOperations();
            _esp.Flash.CutAt = flashCut;
            _storage.Restore(_journalStart);
            _storage.CutAt = journalCut;
            _clock = new ManualClock();
            _adapter = new TestAdapter();
            _http = new MemoryRangeSource { Content = _newImage, Url = Url };
            _httpPort = new OpenRecorder(_http);
            _chunkBytesServed = 0;
            _firstRequestAfterCut = -1;
            _afterCut = false;
            _boots = 0;
            StartAgent(_startPartition); // the old image is running when the release arrives

            var result = new CutResult { Cut = flashCut ?? journalCut ?? 0, Medium = journalCut != null ? "journal" : "flash" };
            bool cut = false;
            try
            {
                Run(result);
            }
            catch (SimPowerCut e)
            {
                cut = true;
                Classify(e, result);
            }
            catch (StoragePowerCut e)
            {
                cut = true;
                result.Phase = "journal";
                result.Kind = "write";
                result.Detail = e.Message;
            }

            if (!cut)
            {
                if (flashCut != null || journalCut != null)
                {
                    result.Outcome = CutOutcome.NotReached;
                    return result;
                }

                result.BytesAgain = Math.Max(0, Served - _newImage.Length);
                return result;
            }

            // The power comes back.
            result.ServedBeforeCut = Served;
            _esp.Flash.PowerOn();
            _storage.CutAt = null;
            var journalNow = new UpdateJournal(_storage);
            journalNow.Load();
            result.JournalPosition = journalNow.Position;
            _agent = null;
            _afterCut = true;
            _httpPort.Recording = true;
            _esp.Flash.ResetOperations();
            _esp.Flash.CutAt = thenFlashCut;
            try
            {
                Run(result);
            }
            catch (SimPowerCut e)
            {
                var second = new CutResult();
                Classify(e, second);
                result.SecondPhase = second.Phase + " " + second.Kind;
                _esp.Flash.PowerOn();
                _agent = null;
                Run(result);
            }

            _esp.Flash.CutAt = null;
            result.BytesAgain = Math.Max(0, Served - _newImage.Length);
            if (result.Phase == "download")
                result.ResumeOffset = _config.MqttChunks ? _firstRequestAfterCut : _httpPort.FirstOffsetAfterCut;
            return result;
        }

        private long Served => _config.MqttChunks ? _chunkBytesServed : _http.BytesServed;

        /// <summary>Boots and polls, rebooting when the agent asks, until the agent settles, the device bricks or the budget runs out.</summary>
        private void Run(CutResult result)
        {
            int stable = 0;
            for (int poll = 0; poll < MaxPolls; poll++)
            {
                if (_agent == null)
                {
                    if (_boots >= MaxBoots)
                    {
                        Judge(result, "rebooted " + _boots + " times without settling");
                        return;
                    }

                    if (!Boot())
                    {
                        result.Outcome = CutOutcome.Bricked;
                        result.Detail = string.Join(" | ", _esp.LastBoot.Log);
                        result.Boots = _boots;
                        return;
                    }
                }

                _agent.Poll(0);
                _clock.Advance(50);
                if (_agent.RestartRequested)
                {
                    _agent = null;
                    stable = 0;
                    continue;
                }

                UpdateState s = _agent.State;
                bool terminal = s == UpdateState.Idle || s == UpdateState.Confirmed || s == UpdateState.RolledBack || s == UpdateState.Failed;
                stable = terminal ? stable + 1 : 0;
                if (stable >= 3)
                {
                    Judge(result, null);
                    return;
                }
            }

            Judge(result, "did not settle within " + MaxPolls + " polls (state " + UpdateAgent.StateName(_agent.State) + ")");
        }

        /// <summary>The bootloader picks a slot; a new agent starts on that image, as the firmware does at power-on.</summary>
        private bool Boot()
        {
            _boots++;
            BootResult boot = _esp.Boot();
            if (boot.Bricked)
                return false;

            StartAgent(boot.Partition);
            return true;
        }

        /// <summary>The agent of the image in <paramref name="running"/>: version from its app description, self-test from its marker.</summary>
        private void StartAgent(Partition running)
        {
            byte[] head = _esp.Flash.Read(running.Offset, EspAppImage.MinimumLength);
            EspAppImage app = EspAppImage.Parse(head, 0, head.Length);
            string version = app.Ok ? app.Version : "0.0.0";
            _bootControl = new SimBootControl(_esp.Flash, _esp.Table, running);
            _mqtt = new ScriptedMqtt { Responder = Respond };
            var ports = new AgentPorts { Mqtt = _mqtt, Http = _httpPort, Boot = _bootControl, Clock = _clock, Storage = _storage };
            _agent = new UpdateAgent(_settings, _adapter, ports, version, new MarkerSelfTest(_esp.Flash, running));
        }

        /// <summary>The platform: the release stays pending, so it is offered on every connect; chunk requests are answered.</summary>
        private void Respond(string topic, byte[] payload)
        {
            if (topic == "test/hello")
            {
                _mqtt.Deliver("test/offer", Encoding.UTF8.GetBytes(_offerJson));
                return;
            }

            if (!topic.StartsWith("test/req/", StringComparison.Ordinal))
                return;
            int index = int.Parse(topic.Substring(9));
            int offset = index * _config.ChunkSize;
            int length = Math.Min(_config.ChunkSize, _newImage.Length - offset);
            if (length <= 0)
                return;
            if (_afterCut && _firstRequestAfterCut < 0)
                _firstRequestAfterCut = offset;
            _chunkBytesServed += length;
            _mqtt.Deliver("test/chunk/" + index, _newImage.AsSpan(offset, length).ToArray());
        }

        /// <summary>Where the device settled: completed, rolled back (and reported), or wrong.</summary>
        private void Judge(CutResult result, string problem)
        {
            result.Boots = _boots;
            result.FailedReports = _adapter.Count(ReportKind.Failed);
            if (problem != null)
            {
                result.Outcome = CutOutcome.Wrong;
                result.Detail = problem;
                return;
            }

            SimBootControl boot = _bootControl;
            int slot = boot.RunningSlot;
            ImageState state = boot.GetState(slot);
            string version = _agent.RunningVersion;
            StatusReport lastOutcome = LastOutcomeReport();
            // A second power cycle must land on the same image: the device has really settled.
            BootResult again = _esp.Boot();
            bool sameAfterReboot = !again.Bricked && again.Partition.Name == boot.RunningPartition.Name;
            string where = "runs " + boot.RunningPartition.Name + " " + version + " (" + state + "), agent "
                + UpdateAgent.StateName(_agent.State) + ", last report " + (lastOutcome == null ? "none" : lastOutcome.Kind.ToString())
                + (sameAfterReboot ? "" : ", moved to " + again + " on the next boot");

            if (sameAfterReboot && version == _config.NewVersion && state == ImageState.Valid
                && _agent.State == UpdateState.Confirmed && lastOutcome != null && lastOutcome.Kind == ReportKind.Updated)
            {
                result.Outcome = CutOutcome.Completed;
            }
            else if (sameAfterReboot && version == _config.OldVersion && state == ImageState.Valid
                && (_agent.State == UpdateState.RolledBack || _agent.State == UpdateState.Failed)
                && lastOutcome != null && lastOutcome.Kind == ReportKind.Failed)
            {
                result.Outcome = CutOutcome.RolledBack;
            }
            else
            {
                result.Outcome = CutOutcome.Wrong;
            }

            result.Detail = where + (_agent.LastMessage != null ? "; " + _agent.LastMessage : "");
        }

        private StatusReport LastOutcomeReport()
        {
            for (int i = _adapter.Reports.Count - 1; i >= 0; i--)
            {
                var r = (StatusReport)_adapter.Reports[i];
                if (r.Kind == ReportKind.Updated || r.Kind == ReportKind.Failed)
                    return r;
            }
            return null;
        }

        /// <summary>Names the interrupted operation from the call stack: which part of the update was cut.</summary>
        private static void Classify(SimPowerCut e, CutResult result)
        {
            string stack = e.StackTrace ?? "";
            result.Kind = stack.Contains("SimFlash.Erase") ? "erase" : stack.Contains("SimFlash.Write") ? "write" : "?";
            if (stack.Contains("SimBootloader.Boot")) result.Phase = "bootloader";
            else if (stack.Contains("SetBootSlot")) result.Phase = "select";
            else if (stack.Contains("MarkRunningValid")) result.Phase = "confirm";
            else if (stack.Contains("SimBootControl.RollBack")) result.Phase = "rollback";
            else if (stack.Contains("SlotWriter")) result.Phase = "download";
            else result.Phase = "other";
            result.Detail = e.Message;
        }

        public void Dispose()
        {
            _esp.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static string FindPartitionsCsv() => NfOta.Pc.Device.SimulatedDevice.FindPartitionsCsv();

        /// <summary>The range source as the agent sees it, noting where the first request after the cut starts.</summary>
        private sealed class OpenRecorder : IHttpRangeSource
        {
            private readonly MemoryRangeSource _inner;

            public OpenRecorder(MemoryRangeSource inner) => _inner = inner;

            public bool Recording;
            public long FirstOffsetAfterCut = -1;

            public long BodyLength => _inner.BodyLength;
            public long TotalLength => _inner.TotalLength;

            public HttpOpenResult Open(string url, long offset)
            {
                if (Recording && FirstOffsetAfterCut < 0)
                    FirstOffsetAfterCut = offset;
                return _inner.Open(url, offset);
            }

            public int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public void Close() => _inner.Close();
        }

        /// <summary>The application's self-test: the outcome its image carries in its marker, as SimulatedDevice does.</summary>
        private sealed class MarkerSelfTest : ISelfTest
        {
            private readonly SimFlash _flash;
            private readonly Partition _partition;

            public MarkerSelfTest(SimFlash flash, Partition partition)
            {
                _flash = flash;
                _partition = partition;
            }

            public bool Run(out string reason)
            {
                string marker = EspAppImageBuilder.FindSelfTestMarker(_flash, _partition);
                if (marker != null && marker.StartsWith("fail", StringComparison.Ordinal))
                {
                    reason = "the application's self-test reported a failure";
                    return false;
                }

                reason = null;
                return true;
            }
        }
    }
}
