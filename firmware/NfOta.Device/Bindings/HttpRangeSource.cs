// nf-ota: IHttpRangeSource over nanoFramework's System.Net.Http (package nanoFramework.System.Net.Http.Client).
//
// Verified against nanoframework/System.Net.Http at v1.5.210 (nanoFramework.System.Net.Http/Http/):
// - System.Net.WebRequest.cs: public static WebRequest Create(string requestUriString) (http: and https:
//   are registered by HttpWebRequest).
// - System.Net.HttpWebRequest.cs: public void AddRange(int range) -> "Range: bytes=range-";
//   Method, KeepAlive, Timeout, ReadWriteTimeout, HttpsAuthentCert (X509Certificate), GetResponse()
//   (returns the response for any status code; throws WebException only for connection failures).
// - System.Net.HttpWebResponse.cs: StatusCode, ContentLength (-1 when absent), Headers,
//   GetResponseStream(), Close().
// - System.Net.WebHeaders.cs: public string this[string header] (null when absent).
// - System.Net._InputNetworkStreamWrapper.cs: Read(byte[], int, int) returns 0 at the end of the body
//   (Content-Length or chunked) and copies straight into the caller's buffer.
// - System.Net.HttpWebRequest.cs defaults: m_sslProtocols = SslProtocols.None and an unset
//   SslVerification (0), both handed to SslStream as they are (HttpClientHandler sets them for HttpClient),
//   so they are set here explicitly; nanoframework/System.Net nanoFramework.System.Net/Security/
//   NetworkSecurity.cs: SslProtocols.Tls12 = 3072, SslVerification.CertificateRequired = 4.
// HttpClient is not used: its request headers are a WebHeaderCollection(true) and "Range" is a
// restricted header there (System.Net._HeaderInfoTable.cs), so HttpRequestMessage.Headers.Add("Range", ...)
// throws; HttpWebRequest.AddRange is the supported way to ask for a range.

using System;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using NfOta.Ports;
using NfOta.Settings;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// One ranged GET at a time, streamed straight into the caller's buffer: the body is never buffered
    /// here, so memory use does not grow with the image.
    /// </summary>
    public sealed class HttpRangeSource : IHttpRangeSource
    {
        private readonly int _timeoutMs;
        private readonly string _caCertificate;
        private X509Certificate _ca;
        private bool _caLoaded;

        private HttpWebResponse _response;
        private Stream _body;
        private long _bodyLength = -1;
        private long _totalLength = -1;

        public HttpRangeSource(DeviceSettings settings)
        {
            _timeoutMs = settings.TimeoutMs;
            // the same CA as the broker, for self-hosted servers; cloud storage roots come from the device CA store
            _caCertificate = settings.BrokerCaCertificate;
        }

        /// <summary>Why the last <see cref="Open"/> failed, for the console.</summary>
        public string LastError { get; private set; }

        public long BodyLength
        {
            get { return _bodyLength; }
        }

        public long TotalLength
        {
            get { return _totalLength; }
        }

        public HttpOpenResult Open(string url, long offset)
        {
            Close();
            LastError = null;

            if (offset < 0 || offset > int.MaxValue)
            {
                LastError = "offset out of range";
                return HttpOpenResult.InvalidUrl;
            }

            HttpWebRequest request;
            try
            {
                request = WebRequest.Create(url) as HttpWebRequest;
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                return HttpOpenResult.InvalidUrl;
            }

            if (request == null)
            {
                LastError = "not an http(s) URL";
                return HttpOpenResult.InvalidUrl;
            }

            try
            {
                request.Method = "GET";
                request.KeepAlive = false;
                request.Timeout = _timeoutMs;
                request.ReadWriteTimeout = _timeoutMs;
                request.SslProtocols = System.Net.Security.SslProtocols.Tls12;
                request.SslVerification = System.Net.Security.SslVerification.CertificateRequired;

                X509Certificate ca = LoadCa();
                if (ca != null)
                {
                    request.HttpsAuthentCert = ca;
                }

                if (offset > 0)
                {
                    request.AddRange((int)offset);
                }

                _response = (HttpWebResponse)request.GetResponse();
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                Close();
                return HttpOpenResult.Failed;
            }

            if (_response == null)
            {
                LastError = "no response";
                return HttpOpenResult.Failed;
            }

            int status = (int)_response.StatusCode;
            HttpOpenResult result = Classify(status, offset);
            if (result != HttpOpenResult.Ok && result != HttpOpenResult.RangeIgnored)
            {
                LastError = "HTTP " + status.ToString();
                Close();
                return result;
            }

            _bodyLength = _response.ContentLength;
            _totalLength = status == 206 ? ParseContentRangeTotal(_response.Headers["Content-Range"]) : _bodyLength;

            try
            {
                _body = _response.GetResponseStream();
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                Close();
                return HttpOpenResult.Failed;
            }

            return result;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            Stream body = _body;
            if (body == null)
            {
                return -1;
            }

            try
            {
                return body.Read(buffer, offset, count);
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                return -1;
            }
        }

        public void Close()
        {
            if (_body != null)
            {
                try
                {
                    _body.Close();
                }
                catch (Exception)
                {
                    // closing a broken connection
                }

                _body = null;
            }

            if (_response != null)
            {
                try
                {
                    _response.Close();
                }
                catch (Exception)
                {
                    // closing a broken connection
                }

                _response = null;
            }

            _bodyLength = -1;
            _totalLength = -1;
        }

        /// <summary>Maps a status code to what the core needs to know.</summary>
        public static HttpOpenResult Classify(int status, long offset)
        {
            if (status == 206)
            {
                return HttpOpenResult.Ok;
            }

            if (status == 200)
            {
                return offset == 0 ? HttpOpenResult.Ok : HttpOpenResult.RangeIgnored;
            }

            if (status == 404 || status == 410)
            {
                return HttpOpenResult.NotFound;
            }

            if (status == 401 || status == 403)
            {
                return HttpOpenResult.Forbidden;
            }

            if (status == 416)
            {
                return HttpOpenResult.RangeNotSatisfiable;
            }

            return HttpOpenResult.Failed;
        }

        /// <summary>The total of "bytes first-last/total", or -1 for "*" or anything unreadable.</summary>
        public static long ParseContentRangeTotal(string contentRange)
        {
            if (contentRange == null)
            {
                return -1;
            }

            int slash = contentRange.IndexOf('/');
            if (slash < 0 || slash == contentRange.Length - 1)
            {
                return -1;
            }

            long total;
            if (!long.TryParse(contentRange.Substring(slash + 1).Trim(), out total) || total < 0)
            {
                return -1;
            }

            return total;
        }

        private X509Certificate LoadCa()
        {
            if (!_caLoaded)
            {
                _caLoaded = true;
                string error;
                _ca = CaCertificate.Load(_caCertificate, out error);
            }

            return _ca;
        }
    }
}
