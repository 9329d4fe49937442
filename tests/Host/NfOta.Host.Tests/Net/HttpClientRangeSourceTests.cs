using System;
using System.IO;
using NfOta.Pc.Net;
using NfOta.Ports;
using Xunit;

namespace NfOta.Host.Tests.Net
{
    public class HttpClientRangeSourceTests : IDisposable
    {
        private readonly RangeFileServer _server = new RangeFileServer();
        private readonly HttpClientRangeSource _source = new HttpClientRangeSource { OpenTimeoutMs = 5000, ReadTimeoutMs = 5000 };
        private readonly byte[] _image = new byte[300_000];
        private readonly string _url;

        public HttpClientRangeSourceTests()
        {
            new Random(42).NextBytes(_image);
            _url = _server.Publish("/fw/app.bin", _image);
        }

        public void Dispose()
        {
            _source.Dispose();
            _server.Dispose();
        }

        [Fact]
        public void FullReadFromZeroSendsNoRangeHeader()
        {
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, 0));
            Assert.Equal(_image.Length, _source.BodyLength);
            Assert.Equal(_image.Length, _source.TotalLength);
            Assert.Equal(_image, ReadToEnd(out var last));
            Assert.Equal(0, last);
            Assert.Equal(new string[] { null }, _server.RangeHeaders);
        }

        [Fact]
        public void ResumeFromOffsetGets206AndTheRest()
        {
            const int offset = 123_457;
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, offset));
            Assert.Equal(206, _source.LastStatusCode);
            Assert.Equal(_image.Length - offset, _source.BodyLength);
            Assert.Equal(_image.Length, _source.TotalLength);
            var rest = ReadToEnd(out var last);
            Assert.Equal(0, last);
            Assert.Equal(_image.AsSpan(offset).ToArray(), rest);
            Assert.Equal("bytes=123457-", _server.RangeHeaders[0]);
        }

        [Fact]
        public void ServerIgnoringRangeIsReportedWithTheWholeBody()
        {
            _server.IgnoreRange = true;
            Assert.Equal(HttpOpenResult.RangeIgnored, _source.Open(_url, 1000));
            Assert.Equal(_image.Length, _source.BodyLength);
            Assert.Equal(_image.Length, _source.TotalLength);
            Assert.Equal(_image, ReadToEnd(out _));
        }

        [Fact]
        public void ConnectionCutMidBodyMakesReadReturnMinusOneThenResumeWorks()
        {
            _server.CloseAfterBytes = 50_000;
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, 0));
            var got = ReadToEnd(out var last);
            Assert.Equal(-1, last);
            Assert.Equal(50_000, got.Length);
            Assert.Equal(_image.AsSpan(0, 50_000).ToArray(), got);

            // The fault fires once: resuming where the cut happened completes the file.
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, got.Length));
            var rest = ReadToEnd(out last);
            Assert.Equal(0, last);
            Assert.Equal(_image.AsSpan(got.Length).ToArray(), rest);
        }

        [Fact]
        public void MissingFileIsNotFound()
        {
            Assert.Equal(HttpOpenResult.NotFound, _source.Open(_server.BaseUrl + "/nope.bin", 0));
            Assert.Equal(-1, _source.Read(new byte[10], 0, 10));
        }

        [Fact]
        public void Fail404OnceFailsOnlyOnce()
        {
            _server.Fail404Once = true;
            Assert.Equal(HttpOpenResult.NotFound, _source.Open(_url, 0));
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, 0));
            Assert.Equal(2, _server.RequestCount);
        }

        [Theory]
        [InlineData(401, HttpOpenResult.Forbidden)]
        [InlineData(403, HttpOpenResult.Forbidden)]
        [InlineData(410, HttpOpenResult.NotFound)]
        [InlineData(500, HttpOpenResult.Failed)]
        [InlineData(503, HttpOpenResult.Failed)]
        public void ErrorStatusesMapToResults(int status, HttpOpenResult expected)
        {
            _server.FailNextStatus = status;
            Assert.Equal(expected, _source.Open(_url, 10));
            Assert.Equal(status, _source.LastStatusCode);
            Assert.Equal(-1, _source.BodyLength);
            Assert.Equal(HttpOpenResult.Ok, _source.Open(_url, 10));
        }

        [Fact]
        public void SlowServerIsFailedAfterOpenTimeout()
        {
            _server.ResponseDelayMs = 1500;
            _source.OpenTimeoutMs = 300;
            Assert.Equal(HttpOpenResult.Failed, _source.Open(_url, 0));
            Assert.Contains("300", _source.LastError);
        }

        [Fact]
        public void OffsetPastTheEndIsRangeNotSatisfiable()
        {
            Assert.Equal(HttpOpenResult.RangeNotSatisfiable, _source.Open(_url, _image.Length));
            Assert.Equal(416, _source.LastStatusCode);
            Assert.Equal(_image.Length, _source.TotalLength);
        }

        [Fact]
        public void BadUrlsAreInvalid()
        {
            Assert.Equal(HttpOpenResult.InvalidUrl, _source.Open("not a url", 0));
            Assert.Equal(HttpOpenResult.InvalidUrl, _source.Open("ftp://127.0.0.1/x", 0));
            Assert.Equal(HttpOpenResult.InvalidUrl, _source.Open("/relative/path.bin", 0));
            _source.RequireTls = true;
            Assert.Equal(HttpOpenResult.InvalidUrl, _source.Open(_url, 0));
            Assert.Equal(0, _server.RequestCount);
        }

        [Fact]
        public void NobodyListeningIsFailed()
        {
            Assert.Equal(HttpOpenResult.Failed, _source.Open("http://127.0.0.1:" + FreePort.Pick() + "/x.bin", 0));
        }

        [Fact]
        public void ExplicitRangeOnTheServerGivesExactSlice()
        {
            // The client only sends open ranges; check the server's closed and suffix ranges with a raw HttpClient.
            using var http = new System.Net.Http.HttpClient();
            var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, _url);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
            var response = http.Send(request);
            Assert.Equal(206, (int)response.StatusCode);
            Assert.Equal("bytes 10-19/300000", response.Content.Headers.ContentRange.ToString());
            Assert.Equal(_image.AsSpan(10, 10).ToArray(), response.Content.ReadAsByteArrayAsync().Result);

            request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, _url);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(null, 5);
            response = http.Send(request);
            Assert.Equal(_image.AsSpan(_image.Length - 5).ToArray(), response.Content.ReadAsByteArrayAsync().Result);
        }

        private byte[] ReadToEnd(out int last)
        {
            var result = new MemoryStream();
            var buffer = new byte[4096];
            while (true)
            {
                last = _source.Read(buffer, 0, buffer.Length);
                if (last <= 0)
                {
                    return result.ToArray();
                }

                result.Write(buffer, 0, last);
            }
        }
    }
}
