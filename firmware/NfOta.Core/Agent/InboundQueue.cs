using System.Collections;
using System.Threading;

namespace NfOta.Agent
{
    /// <summary>
    /// Hands MQTT messages from the transport's thread to the agent's thread, in arrival order, so
    /// the agent's state is only ever touched by one thread. Bounded: when the agent falls behind,
    /// the oldest messages are dropped (the protocols re-send or re-request what matters).
    /// </summary>
    internal sealed class InboundQueue
    {
        private readonly object _lock = new object();
        private readonly string[] _topics;
        private readonly byte[][] _payloads;
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private int _head;
        private int _count;

        public InboundQueue(int capacity)
        {
            _topics = new string[capacity];
            _payloads = new byte[capacity][];
        }

        public int Dropped;

        public void Enqueue(string topic, byte[] payload)
        {
            lock (_lock)
            {
                if (_count == _topics.Length)
                {
                    _topics[_head] = null;
                    _payloads[_head] = null;
                    _head = (_head + 1) % _topics.Length;
                    _count--;
                    Dropped++;
                }

                int tail = (_head + _count) % _topics.Length;
                _topics[tail] = topic;
                _payloads[tail] = payload;
                _count++;
            }

            _signal.Set();
        }

        public bool TryDequeue(out string topic, out byte[] payload)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    topic = null;
                    payload = null;
                    return false;
                }

                topic = _topics[_head];
                payload = _payloads[_head];
                _topics[_head] = null;
                _payloads[_head] = null;
                _head = (_head + 1) % _topics.Length;
                _count--;
                return true;
            }
        }

        public void Wait(int milliseconds)
        {
            if (milliseconds > 0)
            {
                _signal.WaitOne(milliseconds, false);
            }
        }

        public void Wake()
        {
            _signal.Set();
        }
    }
}
