using System.Collections.Concurrent;

namespace NfOta.Host.Tests.Support
{
    /// <summary>
    /// Stands in for a server's file publishing (the <c>publishFile</c> of the HTTP-download servers):
    /// keeps the bytes and hands out a URL nobody answers, so a test can check what was published.
    /// </summary>
    public sealed class PublishedFiles
    {
        private const string BaseUrl = "http://127.0.0.1:9/";
        private readonly ConcurrentDictionary<string, byte[]> _files = new();

        /// <summary>Keeps <paramref name="bytes"/> under <paramref name="path"/> and returns its URL.</summary>
        public string Publish(string path, byte[] bytes)
        {
            _files[path] = bytes;
            return BaseUrl + path;
        }

        /// <summary>The bytes published under <paramref name="url"/>.</summary>
        public byte[] Served(string url) => _files[url.Substring(BaseUrl.Length)];
    }
}
