using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// A TCP proxy on 127.0.0.1 that forwards to host:port and holds every chunk of data for a fixed
    /// one-way delay in each direction, like a slow network link with plenty of bandwidth: data keeps
    /// flowing while earlier chunks wait (the delay is a pipeline, not a pause per chunk).
    /// <see cref="DropConnections"/> cuts every proxied connection at once, for fault tests.
    /// </summary>
    public sealed class LatencyProxy : IDisposable
    {
        private readonly string _targetHost;
        private readonly int _targetPort;
        private readonly TcpListener _listener;
        private readonly ConcurrentDictionary<Link, bool> _links = new ConcurrentDictionary<Link, bool>();
        private readonly Thread _acceptor;
        private volatile bool _stopped;
        private int _accepted;

        /// <summary>Listens on 127.0.0.1 (a free port when listenPort is 0) and forwards to targetHost:targetPort.</summary>
        public LatencyProxy(string targetHost, int targetPort, int oneWayDelayMs, int listenPort = 0)
        {
            _targetHost = targetHost;
            _targetPort = targetPort;
            OneWayDelayMs = oneWayDelayMs;
            _listener = new TcpListener(IPAddress.Loopback, listenPort);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptor = new Thread(Accept) { IsBackground = true, Name = "latency-proxy" };
            _acceptor.Start();
        }

        public string Host => "127.0.0.1";

        public int Port { get; }

        /// <summary>Delay added to data in each direction; changes apply to data read afterwards.</summary>
        public int OneWayDelayMs { get; set; }

        /// <summary>Connections accepted since start.</summary>
        public int AcceptedConnections => Volatile.Read(ref _accepted);

        /// <summary>Connections currently proxied.</summary>
        public int OpenConnections => _links.Count;

        /// <summary>Resets every proxied connection (both sides see the link drop). New connections are still accepted.</summary>
        public void DropConnections()
        {
            foreach (var link in _links.Keys)
            {
                link.Abort();
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _listener.Stop();
            DropConnections();
            _acceptor.Join(2000);
        }

        private void Accept()
        {
            while (!_stopped)
            {
                Socket client;
                try
                {
                    client = _listener.AcceptSocket();
                }
                catch (Exception)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                _ = Task.Run(() => OpenLinkAsync(client));
            }
        }

        private async Task OpenLinkAsync(Socket client)
        {
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Target down: the client sees its connection close, as with a broker that is away.
                Link.Reset(client);
                upstream.Dispose();
                return;
            }

            client.NoDelay = true;
            upstream.NoDelay = true;
            var link = new Link(client, upstream);
            _links[link] = true;
            if (_stopped)
            {
                link.Abort();
            }

            await Task.WhenAll(PumpAsync(link, client, upstream), PumpAsync(link, upstream, client)).ConfigureAwait(false);
            _links.TryRemove(link, out _);
            link.Close();
        }

        // Reads from one side, stamps each chunk, and a writer delivers it to the other side once its delay has passed.
        private async Task PumpAsync(Link link, Socket from, Socket to)
        {
            var queue = Channel.CreateUnbounded<(long Due, byte[] Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var writer = Task.Run(async () =>
            {
                try
                {
                    await foreach (var (due, data) in queue.Reader.ReadAllAsync().ConfigureAwait(false))
                    {
                        var wait = due - Stopwatch.GetTimestamp();
                        if (wait > 0)
                        {
                            await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)).ConfigureAwait(false);
                        }

                        if (data == null)
                        {
                            to.Shutdown(SocketShutdown.Send);
                            return;
                        }

                        var sent = 0;
                        while (sent < data.Length)
                        {
                            sent += await to.SendAsync(data.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception)
                {
                    link.Abort();
                }
            });

            var buffer = new byte[16384];
            try
            {
                while (true)
                {
                    var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    var due = Stopwatch.GetTimestamp() + (long)OneWayDelayMs * Stopwatch.Frequency / 1000;
                    if (n == 0)
                    {
                        queue.Writer.TryWrite((due, null));
                        break;
                    }

                    queue.Writer.TryWrite((due, buffer.AsSpan(0, n).ToArray()));
                }
            }
            catch (Exception)
            {
                link.Abort();
            }

            queue.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }

        private sealed class Link
        {
            private readonly Socket _a;
            private readonly Socket _b;
            private int _aborted;

            public Link(Socket a, Socket b)
            {
                _a = a;
                _b = b;
            }

            public void Abort()
            {
                if (Interlocked.Exchange(ref _aborted, 1) == 0)
                {
                    Reset(_a);
                    Reset(_b);
                }
            }

            // Both directions finished: everything was sent, so a normal close loses nothing.
            public void Close()
            {
                if (Interlocked.Exchange(ref _aborted, 1) == 0)
                {
                    _a.Dispose();
                    _b.Dispose();
                }
            }

            // Close with RST rather than FIN: a dropped link, not a polite goodbye.
            public static void Reset(Socket socket)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception)
                {
                }

                socket.Dispose();
            }
        }
    }
}
