using System;
using System.IO;
using NfOta.Agent;
using NfOta.Images;
using NfOta.Pc.Net;
using NfOta.Pc.Platform;
using NfOta.Pc.Sim;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;

namespace NfOta.Pc.Device
{
    /// <summary>
    /// An ESP32 running nf-ota, on the PC: a file-backed 4 MB flash with the project's partition table,
    /// the ESP-IDF bootloader's slot choice and rollback, and the same core agent the board runs, bound
    /// to MQTTnet and HttpClient. Its flash and journal live in one directory, so it keeps its state
    /// across runs, reboots and power cuts exactly as a board does.
    /// </summary>
    public sealed class SimulatedDevice : IDisposable
    {
        private readonly string _dir;
        private readonly DeviceSettings _settings;
        private readonly SimFlash _flash;
        private readonly PartitionTable _table;
        private readonly DirectoryStorage _storage;
        private readonly SystemClock _clock = new SystemClock();
        private MqttNetPort _mqtt;
        private HttpClientRangeSource _http;
        private bool _disposed;

        public SimulatedDevice(string flashDirectory, DeviceSettings settings, string partitionsCsv = null)
        {
            _dir = flashDirectory;
            _settings = settings;
            Directory.CreateDirectory(flashDirectory);
            _flash = new SimFlash(flashDirectory) { Log = TextWriter.Null };
            _table = PartitionTable.Load(partitionsCsv ?? FindPartitionsCsv(), _flash.Size);
            _storage = new DirectoryStorage(Path.Combine(flashDirectory, "storage"));
        }

        /// <summary>The agent of the image running now (a new one after every boot).</summary>
        public UpdateAgent Agent { get; private set; }

        /// <summary>Version read from the running image's app description.</summary>
        public string RunningVersion { get; private set; }

        public Partition RunningPartition { get; private set; }

        public int Boots { get; private set; }

        /// <summary>True when the bootloader found nothing it could run.</summary>
        public bool Bricked { get; private set; }

        public SimFlash Flash => _flash;

        public PartitionTable Table => _table;

        /// <summary>Raised with every agent event (state changes, progress, notices).</summary>
        public event AgentEventHandler AgentChanged;

        /// <summary>Raised for device-level lines: boots, the bootloader's choice, reboots.</summary>
        public event Action<string> Log;

        /// <summary>True when ota_0 holds a valid app image: the board has been flashed.</summary>
        public bool IsProvisioned => EspImageVerifier.Verify(_flash, _table.FindOta(0)).Ok;

        /// <summary>
        /// Flashes a factory image into ota_0 and clears otadata and the journal, as flashing a new board
        /// with nanoff does.
        /// </summary>
        public void Provision(byte[] image)
        {
            Partition ota0 = _table.FindOta(0);
            if (image.Length > ota0.Size)
            {
                throw new ArgumentException("the image does not fit " + ota0.Name);
            }

            long eraseLength = (image.Length + SimFlash.SectorSize - 1) / SimFlash.SectorSize * SimFlash.SectorSize;
            _flash.Erase(ota0.Offset, eraseLength);
            _flash.Write(ota0.Offset, image, 0, image.Length);
            _flash.Erase(_table.OtaData.Offset, _table.OtaData.Size);
            _storage.Delete("nfota.journal.0");
            _storage.Delete("nfota.journal.1");
            _flash.Flush();
        }

        /// <summary>Power on: the bootloader picks a slot, the image's version is read, a new agent starts.</summary>
        public bool PowerOn()
        {
            DisposeLinks();
            Boots++;
            var boot = new SimBootloader(_flash, _table).Boot();
            if (boot.Bricked)
            {
                Bricked = true;
                Agent = null;
                Say("boot " + Boots + ": no bootable image (brick)");
                return false;
            }

            RunningPartition = boot.Partition;
            byte[] head = _flash.Read(boot.Partition.Offset, EspAppImage.MinimumLength);
            EspAppImage app = EspAppImage.Parse(head, 0, head.Length);
            RunningVersion = app.Ok ? app.Version : "0.0.0";
            var bootControl = new SimBootControl(_flash, _table, boot.Partition);
            Say("boot " + Boots + ": bootloader runs " + boot.Partition.Name + " (version " + RunningVersion + ", state "
                + bootControl.GetState(bootControl.RunningSlot) + ")");

            _mqtt = new MqttNetPort(new MqttNetPortOptions { Host = _settings.BrokerHost, Port = _settings.BrokerPort, UseTls = _settings.BrokerTls });
            _http = new HttpClientRangeSource { RequireTls = _settings.RequireTls };
            var ports = new AgentPorts { Mqtt = _mqtt, Http = _http, Boot = bootControl, Clock = _clock, Storage = _storage };
            IPlatformAdapter adapter = PlatformAdapters.Create(_settings)
                ?? throw new ArgumentException("settings: unknown platform '" + _settings.Platform + "'");
            Agent = new UpdateAgent(_settings, adapter, ports, RunningVersion, new ImageSelfTest(_flash, boot.Partition));
            Agent.Changed += (sender, e) => AgentChanged?.Invoke(sender, e);
            return true;
        }

        /// <summary>
        /// Runs the device (rebooting it whenever its agent asks) until <paramref name="done"/> holds or the
        /// time is up. Returns whether <paramref name="done"/> held.
        /// </summary>
        public bool RunUntil(Func<bool> done, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            if (Agent == null && !Bricked)
            {
                PowerOn();
            }

            while (DateTime.UtcNow < deadline)
            {
                if (done())
                {
                    return true;
                }

                if (Bricked)
                {
                    return false;
                }

                Agent.Poll(50);
                if (Agent.RestartRequested)
                {
                    Say("device reboots");
                    _flash.Flush();
                    PowerOn();
                }
            }

            return done();
        }

        private void Say(string line) => Log?.Invoke(line);

        private void DisposeLinks()
        {
            try
            {
                _mqtt?.Disconnect();
            }
            catch (Exception)
            {
            }

            _mqtt?.Dispose();
            _http?.Dispose();
            _mqtt = null;
            _http = null;
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DisposeLinks();
            _flash.Flush();
            _flash.Dispose();
        }

        /// <summary>The repository's partitions.csv.</summary>
        public static string FindPartitionsCsv() => Path.Combine(RehearsalSettings.RepositoryRoot(), "partitions.csv");

        /// <summary>
        /// The simulated application's self-test: the outcome a test image carries in its
        /// "NFOTA-SELFTEST:" marker (pass when it has none), as a real application would check its
        /// peripherals and its cloud link.
        /// </summary>
        private sealed class ImageSelfTest : ISelfTest
        {
            private readonly SimFlash _flash;
            private readonly Partition _partition;

            public ImageSelfTest(SimFlash flash, Partition partition)
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
