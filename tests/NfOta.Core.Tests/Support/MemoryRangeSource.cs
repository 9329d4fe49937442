using System;
using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// A range source over bytes in RAM, with the faults a real server shows: a body that stops
    /// (connection closed) after some bytes, a server that ignores Range, a 404, a failure every time.
    /// The real HTTP client and server are tested against each other in the host tests.
    /// </summary>
    public sealed class MemoryRangeSource : IHttpRangeSource
    {
        public byte[] Content;
        public string Url;
        public bool IgnoreRange;
        public bool NotFound;
        public bool AlwaysFail;
        /// <summary>When >= 0, the next body breaks after this many bytes (then the fault clears).</summary>
        public long BreakAfter = -1;
        /// <summary>When >= 0, the power goes when the body reaches this many bytes of the image.</summary>
        public long PowerCutAt = -1;
        public int Opens;
        public long LastOffset;
        public long BytesServed;

        private long _pos;
        private long _end;
        private long _breakAt = -1;
        private bool _open;

        public long BodyLength { get { return _end - _pos; } }

        public long TotalLength { get { return Content == null ? -1 : Content.Length; } }

        public HttpOpenResult Open(string url, long offset)
        {
            Opens++;
            LastOffset = offset;
            if (AlwaysFail)
            {
                return HttpOpenResult.Failed;
            }

            if (NotFound || Content == null || (Url != null && url != Url))
            {
                return HttpOpenResult.NotFound;
            }

            if (offset > Content.Length)
            {
                return HttpOpenResult.RangeNotSatisfiable;
            }

            _open = true;
            _end = Content.Length;
            _pos = IgnoreRange ? 0 : offset;
            _breakAt = BreakAfter >= 0 ? _pos + BreakAfter : -1;
            BreakAfter = -1;
            return IgnoreRange && offset > 0 ? HttpOpenResult.RangeIgnored : HttpOpenResult.Ok;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (!_open)
            {
                return -1;
            }

            if (_breakAt >= 0 && _pos >= _breakAt)
            {
                _breakAt = -1;
                return -1;
            }

            long n = _end - _pos;
            if (n > count)
            {
                n = count;
            }

            if (_breakAt >= 0 && _pos + n > _breakAt)
            {
                n = _breakAt - _pos;
            }

            if (PowerCutAt >= 0 && _pos + n >= PowerCutAt)
            {
                PowerCutAt = -1;
                throw new PowerCutException();
            }

            Array.Copy(Content, (int)_pos, buffer, offset, (int)n);
            _pos += n;
            BytesServed += n;
            return (int)n;
        }

        public void Close()
        {
            _open = false;
        }
    }
}
