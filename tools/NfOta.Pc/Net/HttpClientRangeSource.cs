using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using NfOta.Ports;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// <see cref="IHttpRangeSource"/> over HttpClient: one ranged GET at a time, its body streamed
    /// through the caller's buffer. Expected failures are result values; nothing throws.
    /// </summary>
    public sealed class HttpClientRangeSource : IHttpRangeSource, IDisposable
    {
        private readonly HttpClient _client;
        private HttpResponseMessage _response;
        private Stream _body;
        private long _bodyRead;

        public HttpClientRangeSource()
        {
            _client = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = true,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            {
                // Our own timeouts apply per step (headers, each read), never to the whole download.
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        /// <summary>Refuse plain http:// URLs (Open answers InvalidUrl).</summary>
        public bool RequireTls { get; set; }

        /// <summary>How long Open waits for the response headers.</summary>
        public int OpenTimeoutMs { get; set; } = 15000;

        /// <summary>How long one Read waits for data before the connection counts as broken.</summary>
        public int ReadTimeoutMs { get; set; } = 15000;

        /// <summary>Status code of the last response, 0 when none arrived.</summary>
        public int LastStatusCode { get; private set; }

        /// <summary>Why the last Open or Read failed, for logs; null after a success.</summary>
        public string LastError { get; private set; }

        public long BodyLength { get; private set; } = -1;

        public long TotalLength { get; private set; } = -1;

        public HttpOpenResult Open(string url, long offset)
        {
            Close();
            LastStatusCode = 0;
            LastError = null;
            if (offset < 0
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                LastError = "not an http(s) URL: " + url;
                return HttpOpenResult.InvalidUrl;
            }

            if (RequireTls && uri.Scheme != Uri.UriSchemeHttps)
            {
                LastError = "TLS required, refusing " + uri.Scheme + "://";
                return HttpOpenResult.InvalidUrl;
            }

            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            HttpResponseMessage response;
            try
            {
                using var timeout = new CancellationTokenSource(OpenTimeoutMs);
                response = _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                LastError = ex is OperationCanceledException ? "no response within " + OpenTimeoutMs + " ms" : ex.Message;
                return HttpOpenResult.Failed;
            }
            finally
            {
                request.Dispose();
            }

            LastStatusCode = (int)response.StatusCode;
            var contentLength = response.Content.Headers.ContentLength ?? -1;
            var contentRange = response.Content.Headers.ContentRange;
            HttpOpenResult result;
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent:
                    if (contentRange == null || contentRange.From != offset)
                    {
                        // A range we did not ask for cannot be spliced onto what the caller has.
                        LastError = "206 with Content-Range " + contentRange + " for offset " + offset;
                        result = HttpOpenResult.Failed;
                        break;
                    }

                    TotalLength = contentRange.Length ?? -1;
                    BodyLength = contentLength >= 0 ? contentLength
                        : contentRange.To.HasValue ? contentRange.To.Value - contentRange.From.Value + 1 : -1;
                    result = HttpOpenResult.Ok;
                    break;
                case HttpStatusCode.OK:
                    TotalLength = contentLength;
                    BodyLength = contentLength;
                    result = offset == 0 ? HttpOpenResult.Ok : HttpOpenResult.RangeIgnored;
                    break;
                case HttpStatusCode.NotFound:
                case HttpStatusCode.Gone:
                    result = HttpOpenResult.NotFound;
                    break;
                case HttpStatusCode.Unauthorized:
                case HttpStatusCode.Forbidden:
                    result = HttpOpenResult.Forbidden;
                    break;
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // "Content-Range: bytes */N" tells how long the file really is.
                    TotalLength = contentRange?.Length ?? -1;
                    result = HttpOpenResult.RangeNotSatisfiable;
                    break;
                default:
                    result = HttpOpenResult.Failed;
                    break;
            }

            if (result != HttpOpenResult.Ok && result != HttpOpenResult.RangeIgnored)
            {
                LastError ??= "HTTP " + LastStatusCode + " " + response.ReasonPhrase;
                response.Dispose();
                BodyLength = -1;
                if (result != HttpOpenResult.RangeNotSatisfiable)
                {
                    TotalLength = -1;
                }

                return result;
            }

            try
            {
                _body = response.Content.ReadAsStream();
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                response.Dispose();
                BodyLength = -1;
                TotalLength = -1;
                return HttpOpenResult.Failed;
            }

            _response = response;
            _bodyRead = 0;
            return result;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (_body == null)
            {
                return -1;
            }

            if (count <= 0)
            {
                return 0;
            }

            if (BodyLength >= 0)
            {
                // A 206 without Content-Length is sized by its Content-Range: bytes past it are not the range asked for.
                long left = BodyLength - _bodyRead;
                if (left <= 0)
                {
                    return 0;
                }

                if (count > left)
                {
                    count = (int)left;
                }
            }

            int n;
            try
            {
                using var timeout = new CancellationTokenSource(ReadTimeoutMs);
                n = _body.ReadAsync(buffer.AsMemory(offset, count), timeout.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                LastError = ex is OperationCanceledException ? "no data within " + ReadTimeoutMs + " ms" : ex.Message;
                return -1;
            }

            if (n == 0 && BodyLength >= 0 && _bodyRead < BodyLength)
            {
                // The connection closed before the announced length: a truncated body, not its end.
                LastError = "body ended after " + _bodyRead + " of " + BodyLength + " bytes";
                return -1;
            }

            _bodyRead += n;
            return n;
        }

        public void Close()
        {
            _body?.Dispose();
            _body = null;
            _response?.Dispose();
            _response = null;
            BodyLength = -1;
            TotalLength = -1;
        }

        public void Dispose()
        {
            Close();
            _client.Dispose();
        }
    }
}
