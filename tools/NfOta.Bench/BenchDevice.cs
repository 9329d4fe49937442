using System;
using System.Threading;
using NfOta.Agent;
using NfOta.Ports;

namespace NfOta.Bench
{
    /// <summary>
    /// A RAM-only device for the agent benchmarks: two 1600 KiB slots (the size of ota_0/ota_1 in
    /// partitions.csv) with NOR rules, a journal store, and a boot control that runs slot 0. Every
    /// port is allocation-free after construction, so what a measurement counts is the core's.
    /// </summary>
    public sealed class BenchDevice
    {
        public const int SlotSize = 0x190000;

        public readonly BenchFlashSlot[] Slots = { new BenchFlashSlot("ota_0", SlotSize), new BenchFlashSlot("ota_1", SlotSize) };
        public readonly BenchStorage Storage = new BenchStorage();
        public readonly BenchBootControl Boot;

        public BenchDevice()
        {
            Boot = new BenchBootControl(Slots);
        }

        public AgentPorts Ports(IMqttPort mqtt, IHttpRangeSource http, IClock clock) =>
            new AgentPorts { Mqtt = mqtt, Http = http, Boot = Boot, Clock = clock, Storage = Storage };
    }

    public sealed class BenchFlashSlot : IFlashSlot
    {
        private readonly byte[] _bytes;

        public BenchFlashSlot(string label, int size)
        {
            Label = label;
            _bytes = new byte[size];
            Array.Fill(_bytes, (byte)0xFF);
        }

        public string Label { get; }

        public long Size => _bytes.Length;

        public int SectorSize => 4096;

        public bool Erase(long offset, int length)
        {
            if (offset % SectorSize != 0 || length % SectorSize != 0 || offset < 0 || offset + length > _bytes.Length)
            {
                return false;
            }

            Array.Fill(_bytes, (byte)0xFF, (int)offset, length);
            return true;
        }

        public bool Write(long offset, byte[] buffer, int index, int count)
        {
            if (offset < 0 || offset + count > _bytes.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                _bytes[offset + i] &= buffer[index + i]; // NOR: a write only clears bits
            }

            return true;
        }

        public bool Read(long offset, byte[] buffer, int index, int count)
        {
            if (offset < 0 || offset + count > _bytes.Length)
            {
                return false;
            }

            Buffer.BlockCopy(_bytes, (int)offset, buffer, index, count);
            return true;
        }
    }

    /// <summary>Slot 0 runs and is valid; an update goes to slot 1. Reboot only records the request.</summary>
    public sealed class BenchBootControl : IBootControl
    {
        private readonly BenchFlashSlot[] _slots;

        public BenchBootControl(BenchFlashSlot[] slots)
        {
            _slots = slots;
        }

        public int RunningSlot => 0;

        public int UpdateSlot => 1;

        public int BootSlot { get; private set; }

        public int Reboots { get; private set; }

        public IFlashSlot OpenUpdateSlot() => _slots[1];

        public ImageState GetState(int slot) => slot == 0 ? ImageState.Valid : ImageState.Undefined;

        public bool SetBootSlot(int slot)
        {
            BootSlot = slot;
            return true;
        }

        public bool MarkRunningValid() => true;

        public bool RollBack() => false;

        public void Reboot() => Reboots++;
    }

    /// <summary>Records in fixed buffers (the journal's are a few hundred bytes); counts writes.</summary>
    public sealed class BenchStorage : IStorage
    {
        private const int MaxRecords = 8;
        private const int MaxRecord = 4096;
        private readonly string[] _names = new string[MaxRecords];
        private readonly byte[][] _data = new byte[MaxRecords][];
        private readonly int[] _lengths = new int[MaxRecords];

        public int Writes;

        public int Read(string name, byte[] buffer)
        {
            int i = Find(name);
            if (i < 0 || _lengths[i] < 0 || _lengths[i] > buffer.Length)
            {
                return -1;
            }

            Buffer.BlockCopy(_data[i], 0, buffer, 0, _lengths[i]);
            return _lengths[i];
        }

        public bool Write(string name, byte[] data, int count)
        {
            Writes++;
            int i = Find(name);
            if (i < 0)
            {
                i = Array.IndexOf(_names, null);
                if (i < 0 || count > MaxRecord)
                {
                    return false;
                }

                _names[i] = name;
                _data[i] = new byte[MaxRecord];
            }

            Buffer.BlockCopy(data, 0, _data[i], 0, count);
            _lengths[i] = count;
            return true;
        }

        public bool Delete(string name)
        {
            int i = Find(name);
            if (i >= 0)
            {
                _lengths[i] = -1;
            }

            return true;
        }

        private int Find(string name)
        {
            for (int i = 0; i < MaxRecords; i++)
            {
                if (_names[i] != null && string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>Time that only moves when the agent sleeps (a download then never times out).</summary>
    public sealed class BenchClock : IClock
    {
        public long UptimeMs { get; private set; }

        public void Sleep(int milliseconds) => UptimeMs += milliseconds;
    }

    /// <summary>An image served from memory with Range semantics; reads copy into the caller's buffer.</summary>
    public sealed class BenchRangeSource : IHttpRangeSource
    {
        private readonly string _url;
        private readonly byte[] _content;
        private long _at = -1;

        public BenchRangeSource(string url, byte[] content)
        {
            _url = url;
            _content = content;
        }

        public int Opens;

        public long BodyLength => _at < 0 ? -1 : _content.Length - _at;

        public long TotalLength => _content.Length;

        public HttpOpenResult Open(string url, long offset)
        {
            Opens++;
            if (!string.Equals(url, _url, StringComparison.Ordinal))
            {
                return HttpOpenResult.NotFound;
            }

            if (offset > _content.Length)
            {
                return HttpOpenResult.RangeNotSatisfiable;
            }

            _at = offset;
            return HttpOpenResult.Ok;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (_at < 0)
            {
                return -1;
            }

            int n = (int)Math.Min(count, _content.Length - _at);
            Buffer.BlockCopy(_content, (int)_at, buffer, offset, n);
            _at += n;
            return n;
        }

        public void Close() => _at = -1;
    }

    /// <summary>
    /// ThingsBoard's chunk service inside the process, without a broker: a publish on
    /// v2/fw/request/{id}/chunk/{n} is remembered, and <see cref="Deliver"/> hands the agent the
    /// answer on v2/fw/response/{id}/chunk/{n}. Topics and payload arrays of every chunk are made up
    /// front (a transport allocates them per message; the benchmark wants what the core adds).
    /// </summary>
    public sealed class BenchChunkMqtt : IMqttPort
    {
        private const string RequestPrefix = "v2/fw/request/";
        private readonly int[] _pending = new int[256];
        private int _pendingCount;
        private string[] _topics;
        private byte[][] _payloads;
        private int _requestId;

        public bool IsConnected { get; private set; }

        public int Publishes;
        public int ChunkRequests;

        public event MqttMessageHandler MessageReceived;

        public event MqttDisconnectedHandler Disconnected;

        /// <summary>Cuts the image into the answers to request id <paramref name="requestId"/>.</summary>
        public void Serve(byte[] image, int chunkSize, int requestId)
        {
            int count = (image.Length + chunkSize - 1) / chunkSize;
            _topics = new string[count];
            _payloads = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                _topics[i] = "v2/fw/response/" + requestId + "/chunk/" + i;
                _payloads[i] = image.AsSpan(i * chunkSize, Math.Min(chunkSize, image.Length - i * chunkSize)).ToArray();
            }

            _requestId = requestId;
        }

        public bool Connect(string clientId, string username, string password) => IsConnected = true;

        public void Disconnect()
        {
            IsConnected = false;
            Disconnected?.Invoke("bench");
        }

        public bool Subscribe(string topicFilter) => IsConnected;

        public bool Publish(string topic, byte[] payload, int qos)
        {
            Publishes++;
            if (topic.StartsWith(RequestPrefix, StringComparison.Ordinal))
            {
                ChunkRequests++;
                int p = RequestPrefix.Length;
                int id = ReadInt(topic, ref p);
                p += "/chunk/".Length;
                int index = ReadInt(topic, ref p);
                if (id == _requestId && _topics != null && index >= 0 && index < _topics.Length && _pendingCount < _pending.Length)
                {
                    _pending[_pendingCount++] = index;
                }
            }

            return IsConnected;
        }

        /// <summary>Answers every request received since the last call, in order.</summary>
        public int Deliver()
        {
            int n = _pendingCount;
            _pendingCount = 0;
            for (int i = 0; i < n; i++)
            {
                int index = _pending[i];
                MessageReceived?.Invoke(_topics[index], _payloads[index]);
            }

            return n;
        }

        /// <summary>Hands the agent one message (an offer) as the transport would.</summary>
        public void Inject(string topic, byte[] payload) => MessageReceived?.Invoke(topic, payload);

        private static int ReadInt(string s, ref int p)
        {
            int start = p;
            int v = 0;
            while (p < s.Length && s[p] >= '0' && s[p] <= '9')
            {
                v = v * 10 + (s[p] - '0');
                p++;
            }

            return p == start ? -1 : v;
        }
    }

    /// <summary>
    /// Returns from Publish at once and lets the publish (and its PUBACK wait) run on the thread pool,
    /// several at a time, as nanoFramework's M2Mqtt does (its Publish queues the message and returns
    /// its id). MqttNetPort instead waits for the PUBACK of a QoS 1 publish: a full round trip on the
    /// agent's thread per chunk request. Order between publishes is not kept.
    /// </summary>
    public sealed class QueuedPublishPort : IMqttPort, IDisposable
    {
        private readonly IMqttPort _inner;
        private int _inFlight;

        public QueuedPublishPort(IMqttPort inner)
        {
            _inner = inner;
        }

        public bool IsConnected => _inner.IsConnected;

        public event MqttMessageHandler MessageReceived
        {
            add => _inner.MessageReceived += value;
            remove => _inner.MessageReceived -= value;
        }

        public event MqttDisconnectedHandler Disconnected
        {
            add => _inner.Disconnected += value;
            remove => _inner.Disconnected -= value;
        }

        public bool Connect(string clientId, string username, string password) => _inner.Connect(clientId, username, password);

        public void Disconnect()
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, 5000);
            _inner.Disconnect();
        }

        public bool Subscribe(string topicFilter) => _inner.Subscribe(topicFilter);

        public bool Publish(string topic, byte[] payload, int qos)
        {
            if (!_inner.IsConnected)
            {
                return false;
            }

            Interlocked.Increment(ref _inFlight);
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                _inner.Publish(topic, payload, qos);
                Interlocked.Decrement(ref _inFlight);
            }, null);
            return true;
        }

        public void Dispose()
        {
        }
    }
}
