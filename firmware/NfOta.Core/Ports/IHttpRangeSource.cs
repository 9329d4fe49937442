namespace NfOta.Ports
{
    /// <summary>What opening a ranged GET found.</summary>
    public enum HttpOpenResult
    {
        /// <summary>206 for the requested range, or 200 when asked from offset 0.</summary>
        Ok,
        /// <summary>The server answered 200 with the whole body to a request from a later offset: the caller skips ahead.</summary>
        RangeIgnored,
        /// <summary>404 or 410: the file does not exist (any more).</summary>
        NotFound,
        /// <summary>401 or 403: typically a signed URL that has expired.</summary>
        Forbidden,
        /// <summary>416: the offset lies past the end of the file.</summary>
        RangeNotSatisfiable,
        /// <summary>The URL could not be parsed or names an unsupported scheme.</summary>
        InvalidUrl,
        /// <summary>Connection, TLS or any other failure; worth retrying.</summary>
        Failed
    }

    /// <summary>
    /// A file on an HTTP(S) server read from an offset with a Range request, streamed through the
    /// caller's buffer. One request is open at a time.
    /// Bindings: System.Net.Http on the device, HttpClient on a PC.
    /// </summary>
    public interface IHttpRangeSource
    {
        /// <summary>Sends <c>GET url</c> with <c>Range: bytes=offset-</c> (no Range header when offset is 0).</summary>
        HttpOpenResult Open(string url, long offset);

        /// <summary>Length of the body of the open response, or -1 when the server did not say.</summary>
        long BodyLength { get; }

        /// <summary>Length of the whole file from Content-Range (or Content-Length on a 200), or -1.</summary>
        long TotalLength { get; }

        /// <summary>Reads up to count bytes of the body. Returns the count read, 0 at the end of the body, -1 when the connection failed.</summary>
        int Read(byte[] buffer, int offset, int count);

        void Close();
    }
}
