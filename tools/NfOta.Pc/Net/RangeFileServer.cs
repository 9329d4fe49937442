using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// A small HTTP/1.1 file server on 127.0.0.1 serving byte arrays registered under paths, with
    /// single byte ranges (<c>bytes=N-</c>, <c>bytes=N-M</c>, <c>bytes=-S</c>), keep-alive, and fault
    /// injection for download tests. Built on TcpListener so that faults such as a connection cut in
    /// the middle of a body are real socket events a real client sees.
    /// </summary>
    public sealed class RangeFileServer : IDisposable
    {
        private readonly ConcurrentDictionary<string, byte[]> _files = new ConcurrentDictionary<string, byte[]>();
        private readonly ConcurrentDictionary<Socket, bool> _connections = new ConcurrentDictionary<Socket, bool>();
        private readonly List<string> _rangeHeaders = new List<string>();
        private readonly TcpListener _listener;
        private readonly Thread _acceptor;
        private long _closeAfterBytes = -1;
        private int _fail404Once;
        private int _failNextStatus;
        private int _requestCount;
        private volatile bool _stopped;

        /// <summary>Starts serving on 127.0.0.1, on a free port when port is 0.</summary>
        public RangeFileServer(int port = 0)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptor = new Thread(Accept) { IsBackground = true, Name = "range-file-server" };
            _acceptor.Start();
        }

        public int Port { get; }

        public string BaseUrl => "http://127.0.0.1:" + Port;

        /// <summary>Answer every request with 200 and the whole file, as servers without range support do.</summary>
        public bool IgnoreRange { get; set; }

        /// <summary>When set (>= 0), the next response body is cut after this many bytes by closing the connection; then it resets to -1.</summary>
        public long CloseAfterBytes
        {
            get => Interlocked.Read(ref _closeAfterBytes);
            set => Interlocked.Exchange(ref _closeAfterBytes, value);
        }

        /// <summary>The next request gets 404 whatever it asks for; then it resets.</summary>
        public bool Fail404Once
        {
            get => Volatile.Read(ref _fail404Once) != 0;
            set => Volatile.Write(ref _fail404Once, value ? 1 : 0);
        }

        /// <summary>When non-zero, the next request is answered with this status (403 for an expired signed URL, 500, 503...) and no body; then it resets.</summary>
        public int FailNextStatus
        {
            get => Volatile.Read(ref _failNextStatus);
            set => Volatile.Write(ref _failNextStatus, value);
        }

        /// <summary>Pause before each response, to make a slow server.</summary>
        public int ResponseDelayMs { get; set; }

        /// <summary>Requests answered so far, any status.</summary>
        public int RequestCount => Volatile.Read(ref _requestCount);

        /// <summary>The Range header of every request in arrival order; null where a request had none.</summary>
        public string[] RangeHeaders
        {
            get
            {
                lock (_rangeHeaders)
                {
                    return _rangeHeaders.ToArray();
                }
            }
        }

        /// <summary>Serves bytes under path (such as "/fw/app.bin") and returns its absolute URL.</summary>
        public string Publish(string path, byte[] bytes)
        {
            if (!path.StartsWith("/", StringComparison.Ordinal))
            {
                path = "/" + path;
            }

            _files[path] = bytes ?? throw new ArgumentNullException(nameof(bytes));
            return BaseUrl + path;
        }

        public bool Unpublish(string path) => _files.TryRemove(path.StartsWith("/", StringComparison.Ordinal) ? path : "/" + path, out _);

        public void Dispose()
        {
            _stopped = true;
            _listener.Stop();
            foreach (var socket in _connections.Keys)
            {
                socket.Dispose();
            }

            _acceptor.Join(2000);
        }

        private void Accept()
        {
            while (!_stopped)
            {
                Socket socket;
                try
                {
                    socket = _listener.AcceptSocket();
                }
                catch (Exception)
                {
                    return;
                }

                _connections[socket] = true;
                new Thread(() => Serve(socket)) { IsBackground = true, Name = "range-file-server-conn" }.Start();
            }
        }

        private void Serve(Socket socket)
        {
            try
            {
                socket.NoDelay = true;
                using var stream = new NetworkStream(socket, ownsSocket: true);
                var reader = new HeaderReader(new BufferedStream(stream, 4096));
                while (!_stopped)
                {
                    var request = reader.ReadRequest();
                    if (request == null || !Answer(stream, request))
                    {
                        return;
                    }
                }
            }
            catch (Exception)
            {
                // Client went away or we cut it on purpose.
            }
            finally
            {
                _connections.TryRemove(socket, out _);
                socket.Dispose();
            }
        }

        // Returns false when the connection must close.
        private bool Answer(Stream stream, Request request)
        {
            Interlocked.Increment(ref _requestCount);
            request.Headers.TryGetValue("range", out var range);
            lock (_rangeHeaders)
            {
                _rangeHeaders.Add(range);
            }

            if (ResponseDelayMs > 0)
            {
                Thread.Sleep(ResponseDelayMs);
            }

            var keepAlive = !(request.Headers.TryGetValue("connection", out var connection)
                && connection.Equals("close", StringComparison.OrdinalIgnoreCase));
            var path = request.Target;
            var query = path.IndexOf('?');
            if (query >= 0)
            {
                path = path.Substring(0, query);
            }

            if (request.Method != "GET" && request.Method != "HEAD")
            {
                WriteHead(stream, 405, "Method Not Allowed", 0, null, keepAlive);
                return keepAlive;
            }

            var failStatus = Interlocked.Exchange(ref _failNextStatus, 0);
            if (failStatus != 0)
            {
                WriteHead(stream, failStatus, "Injected Failure", 0, null, keepAlive);
                return keepAlive;
            }

            if (Interlocked.Exchange(ref _fail404Once, 0) != 0 || !_files.TryGetValue(path, out var file))
            {
                WriteHead(stream, 404, "Not Found", 0, null, keepAlive);
                return keepAlive;
            }

            long from = 0;
            long to = file.Length - 1;
            var partial = false;
            if (range != null && !IgnoreRange)
            {
                switch (ParseRange(range, file.Length, out var first, out var last))
                {
                    case RangeKind.Satisfiable:
                        from = first;
                        to = last;
                        partial = true;
                        break;
                    case RangeKind.Unsatisfiable:
                        WriteHead(stream, 416, "Range Not Satisfiable", 0, "bytes */" + file.Length, keepAlive);
                        return keepAlive;
                    default:
                        // Unparsable or multiple ranges: RFC 9110 lets a server ignore the header.
                        break;
                }
            }

            var length = to - from + 1;
            if (partial)
            {
                WriteHead(stream, 206, "Partial Content", length, "bytes " + from + "-" + to + "/" + file.Length, keepAlive);
            }
            else
            {
                WriteHead(stream, 200, "OK", length, null, keepAlive);
            }

            if (request.Method == "HEAD")
            {
                return keepAlive;
            }

            var cut = Interlocked.Exchange(ref _closeAfterBytes, -1);
            if (cut >= 0 && cut < length)
            {
                stream.Write(file, (int)from, (int)cut);
                stream.Flush();
                return false;
            }

            stream.Write(file, (int)from, (int)length);
            stream.Flush();
            return keepAlive;
        }

        private static void WriteHead(Stream stream, int status, string reason, long contentLength, string contentRange, bool keepAlive)
        {
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n");
            head.Append("Content-Length: ").Append(contentLength).Append("\r\n");
            head.Append("Content-Type: application/octet-stream\r\n");
            head.Append("Accept-Ranges: bytes\r\n");
            if (contentRange != null)
            {
                head.Append("Content-Range: ").Append(contentRange).Append("\r\n");
            }

            head.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
            head.Append("\r\n");
            var bytes = Encoding.ASCII.GetBytes(head.ToString());
            stream.Write(bytes, 0, bytes.Length);
        }

        private enum RangeKind
        {
            Ignore,
            Satisfiable,
            Unsatisfiable
        }

        private static RangeKind ParseRange(string header, long size, out long first, out long last)
        {
            first = 0;
            last = size - 1;
            header = header.Trim();
            if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            {
                return RangeKind.Ignore;
            }

            var spec = header.Substring(6).Trim();
            if (spec.Contains(','))
            {
                return RangeKind.Ignore;
            }

            var dash = spec.IndexOf('-');
            if (dash < 0)
            {
                return RangeKind.Ignore;
            }

            var a = spec.Substring(0, dash).Trim();
            var b = spec.Substring(dash + 1).Trim();
            if (a.Length == 0)
            {
                // bytes=-S: the last S bytes.
                if (!long.TryParse(b, out var suffix) || suffix < 0)
                {
                    return RangeKind.Ignore;
                }

                if (suffix == 0 || size == 0)
                {
                    return RangeKind.Unsatisfiable;
                }

                first = Math.Max(0, size - suffix);
                return RangeKind.Satisfiable;
            }

            if (!long.TryParse(a, out first) || first < 0)
            {
                return RangeKind.Ignore;
            }

            if (b.Length > 0)
            {
                if (!long.TryParse(b, out var end) || end < first)
                {
                    return RangeKind.Ignore;
                }

                last = Math.Min(end, size - 1);
            }

            return first >= size ? RangeKind.Unsatisfiable : RangeKind.Satisfiable;
        }

        private sealed class Request
        {
            public string Method;
            public string Target;
            public readonly Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Reads request heads byte by byte (they are small) and discards request bodies.</summary>
        private sealed class HeaderReader
        {
            private readonly Stream _stream;
            private readonly StringBuilder _line = new StringBuilder();

            public HeaderReader(Stream stream) => _stream = stream;

            public Request ReadRequest()
            {
                string first;
                do
                {
                    first = ReadLine();
                    if (first == null)
                    {
                        return null;
                    }
                }
                while (first.Length == 0);

                var parts = first.Split(' ');
                if (parts.Length < 3)
                {
                    return null;
                }

                var request = new Request { Method = parts[0], Target = parts[1] };
                while (true)
                {
                    var line = ReadLine();
                    if (line == null)
                    {
                        return null;
                    }

                    if (line.Length == 0)
                    {
                        break;
                    }

                    var colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        request.Headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                    }
                }

                if (request.Headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, out var skip))
                {
                    var sink = new byte[4096];
                    while (skip > 0)
                    {
                        var n = _stream.Read(sink, 0, (int)Math.Min(sink.Length, skip));
                        if (n <= 0)
                        {
                            return null;
                        }

                        skip -= n;
                    }
                }

                return request;
            }

            private string ReadLine()
            {
                _line.Clear();
                while (true)
                {
                    var b = _stream.ReadByte();
                    if (b < 0)
                    {
                        return null;
                    }

                    if (b == '\n')
                    {
                        if (_line.Length > 0 && _line[_line.Length - 1] == '\r')
                        {
                            _line.Length--;
                        }

                        return _line.ToString();
                    }

                    if (_line.Length > 8192)
                    {
                        return null;
                    }

                    _line.Append((char)b);
                }
            }
        }
    }
}
