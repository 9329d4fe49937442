using System;
using System.Text;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Ports;
using NfOta.Settings;

namespace NfOta.Tests.Support
{
    public delegate bool RigCondition();

    /// <summary>
    /// A whole device for the agent's tests: two RAM flash slots with ESP-IDF's rollback rules, a
    /// journal store, a manual clock, a scripted broker link, an in-memory range source and the test
    /// platform. Images carry their version and self-test outcome in their first bytes, so what runs
    /// after a "reboot" is read from flash, as on a real board.
    /// </summary>
    public sealed class AgentRig
    {
        public const int SlotSize = 256 * 1024;

        public readonly RamBootControl Boot = new RamBootControl(SlotSize);
        public readonly MemoryStorage Storage = new MemoryStorage();
        public readonly ManualClock Clock = new ManualClock();
        public readonly MemoryRangeSource Http = new MemoryRangeSource();
        public readonly DeviceSettings Settings = new DeviceSettings();
        public TestAdapter Adapter;
        public ScriptedMqtt Mqtt;
        public UpdateAgent Agent;

        /// <summary>The image the chunk service answers from.</summary>
        public byte[] ChunkImage;
        public int DropChunkOnce = -1;
        public int TruncateChunkOnce = -1;
        public bool DuplicateChunks;
        public bool ReverseWindow;
        public int ChunkRequests;

        private readonly System.Collections.ArrayList _held = new System.Collections.ArrayList();

        public AgentRig()
        {
            Settings.Platform = "test";
            Settings.ChunkSize = 4096;
            Settings.CheckpointBytes = 16384;
            Settings.Window = 4;
            Settings.TimeoutMs = 1000;
            Settings.Retries = 3;
            Settings.ProgressStepPercent = 10;
            Settings.SelfTestTimeoutSeconds = 5;
            byte[] factory = MakeImage("1.0.0", 20000, true);
            Boot.Slots[0].Write(0, factory, 0, factory.Length);
            Boot.Slots[0].Writes = 0;
            Http.Url = "http://images.example/fw.bin";
        }

        /// <summary>An image whose first bytes say its version and whether its self-test passes.</summary>
        public static byte[] MakeImage(string version, int size, bool selfTestPasses)
        {
            byte[] image = new byte[size];
            Random random = new Random(size ^ version.Length * 7919);
            random.NextBytes(image);
            byte[] head = Encoding.UTF8.GetBytes("NFIMG;" + version + ";" + (selfTestPasses ? "pass" : "fail") + ";");
            Array.Copy(head, image, head.Length);
            return image;
        }

        public static string VersionIn(IFlashSlot slot)
        {
            string head = Head(slot);
            if (head == null)
            {
                return null;
            }

            string[] parts = head.Split(';');
            return parts.Length > 2 ? parts[1] : null;
        }

        public static string Head(IFlashSlot slot)
        {
            byte[] b = new byte[48];
            slot.Read(0, b, 0, b.Length);
            if (b[0] != (byte)'N' || b[1] != (byte)'F')
            {
                return null;
            }

            int n = 0;
            while (n < b.Length && b[n] < 128 && b[n] != 0)
            {
                n++;
            }

            return Encoding.UTF8.GetString(b, 0, n);
        }

        public string RunningVersion { get { return VersionIn(Boot.Slots[Boot.Running]); } }

        /// <summary>Powers the device on with the slot the rig's bootloader picks, and a new agent.</summary>
        public void PowerOn()
        {
            Adapter = Adapter == null ? new TestAdapter() : Adapter;
            Mqtt = new ScriptedMqtt();
            Mqtt.Responder = Respond;
            AgentPorts ports = new AgentPorts();
            ports.Mqtt = Mqtt;
            ports.Http = Http;
            ports.Boot = Boot;
            ports.Clock = Clock;
            ports.Storage = Storage;
            Agent = new UpdateAgent(Settings, Adapter, ports, RunningVersion, new SlotSelfTest(Boot));
        }

        /// <summary>A reboot (or power cut): the bootloader decides, then a new agent starts.</summary>
        public void Restart()
        {
            if (Mqtt != null)
            {
                Mqtt.Disconnect();
            }

            Boot.Boot();
            PowerOn();
        }

        /// <summary>Polls until the condition holds, a reboot is requested or the poll budget runs out.</summary>
        public bool RunUntil(RigCondition condition, int maxPolls)
        {
            for (int i = 0; i < maxPolls; i++)
            {
                if (condition != null && condition())
                {
                    return true;
                }

                if (Agent.RestartRequested)
                {
                    return condition != null && condition();
                }

                Agent.Poll(0);
                Clock.Advance(50);
            }

            return condition != null && condition();
        }

        public bool RunUntilState(UpdateState state)
        {
            UpdateAgent agent = Agent;
            return RunUntil(delegate { return agent.State == state; }, 5000);
        }

        public bool RunUntilRestart()
        {
            UpdateAgent agent = Agent;
            return RunUntil(delegate { return agent.RestartRequested; }, 5000);
        }

        public void OfferHttp(byte[] image, string version)
        {
            Http.Content = image;
            Offer("{\"version\":\"" + version + "\",\"size\":" + image.Length + ",\"algorithm\":\"SHA256\",\"hash\":\""
                + Digest(HashAlgorithmKind.Sha256, image) + "\",\"url\":\"" + Http.Url + "\"}");
        }

        public void OfferChunks(byte[] image, string version, string algorithm, HashAlgorithmKind kind)
        {
            ChunkImage = image;
            Offer("{\"version\":\"" + version + "\",\"size\":" + image.Length + ",\"algorithm\":\"" + algorithm
                + "\",\"hash\":\"" + Digest(kind, image) + "\"}");
        }

        public void Offer(string json)
        {
            Mqtt.Deliver("test/offer", Encoding.UTF8.GetBytes(json));
        }

        public static string Digest(HashAlgorithmKind kind, byte[] data)
        {
            IIncrementalHash h = HashFactory.Create(kind);
            h.Update(data, 0, data.Length);
            byte[] d = new byte[h.HashSize];
            h.Final(d, 0);
            return Hex.ToHex(d, 0, d.Length);
        }

        /// <summary>The platform side: answers chunk requests from <see cref="ChunkImage"/>, with faults.</summary>
        private void Respond(string topic, byte[] payload)
        {
            if (!topic.StartsWith("test/req/") || ChunkImage == null)
            {
                return;
            }

            ChunkRequests++;
            int index = int.Parse(topic.Substring(9));
            int size = Settings.ChunkSize;
            int offset = index * size;
            int length = ChunkImage.Length - offset < size ? ChunkImage.Length - offset : size;
            if (length <= 0)
            {
                return;
            }

            if (index == DropChunkOnce)
            {
                DropChunkOnce = -1;
                return;
            }

            if (index == TruncateChunkOnce)
            {
                TruncateChunkOnce = -1;
                length = length / 2;
            }

            byte[] chunk = new byte[length];
            Array.Copy(ChunkImage, offset, chunk, 0, length);
            if (ReverseWindow)
            {
                // Hold requests and answer a whole window at once, last first.
                _held.Add(chunk);
                _held.Add(topic);
                if (_held.Count / 2 >= Settings.Window || offset + length >= ChunkImage.Length)
                {
                    for (int i = _held.Count - 2; i >= 0; i -= 2)
                    {
                        string t = (string)_held[i + 1];
                        Mqtt.Deliver("test/chunk/" + t.Substring(9), (byte[])_held[i]);
                    }

                    _held.Clear();
                }

                return;
            }

            Mqtt.Deliver("test/chunk/" + index, chunk);
            if (DuplicateChunks)
            {
                Mqtt.Deliver("test/chunk/" + index, chunk);
            }
        }
    }

    /// <summary>The running image's own self-test: the outcome written into the image's first bytes.</summary>
    public sealed class SlotSelfTest : ISelfTest
    {
        private readonly RamBootControl _boot;

        public SlotSelfTest(RamBootControl boot)
        {
            _boot = boot;
        }

        public bool Run(out string reason)
        {
            string head = AgentRig.Head(_boot.Slots[_boot.Running]);
            if (head != null && head.IndexOf(";fail;") >= 0)
            {
                reason = "the image's self-test reported a failure";
                return false;
            }

            reason = null;
            return true;
        }
    }
}
